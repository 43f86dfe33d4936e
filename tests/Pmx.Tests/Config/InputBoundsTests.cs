using Pmx.Config;

namespace Pmx.Tests.Config;

/// <summary>Numbers, names and nesting past AppLimits are refused with the key and the limit, never crash the reader.</summary>
public class InputBoundsTests
{
    [Test]
    public Task InstancesAboveTheLimitNameTheKeyAndTheLimit() => ConfigFixture.ExpectErrors("instances-over-limit.toml",
        "instances-over-limit.toml:4:1: 'instances' in [[apps]] 'web' must be at most 4096 (got integer 4097)");

    [Test]
    public Task LogRetainAboveTheLimitNamesTheKeyAndTheLimit() => ConfigFixture.ExpectErrors("log-retain-over-limit.toml",
        "log-retain-over-limit.toml:4:1: 'log_retain' in [[apps]] 'web' must be an integer from 0 to 1000 (got integer 1001)");

    [Test]
    public Task NameLongerThanTheLimitIsRefused() => ConfigFixture.ExpectErrors("name-too-long.toml",
        "name-too-long.toml:2:1: app name \"wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww…\" is 101 characters long; the limit is 100 (names appear in file names and every log line)");

    [Test]
    public async Task NameOfExactlyTheLimitIsAccepted()
    {
        var result = ConfigFixture.Load("name-at-limit.toml");
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Apps.Single().Name.Length).IsEqualTo(AppLimits.MaxNameLength);
    }

    [Test]
    public Task NameWithATrailingNewlineIsRefusedAndShownEscaped() => ConfigFixture.ExpectErrors("name-trailing-newline.toml",
        "name-trailing-newline.toml:2:1: app name \"web\\n\" is not allowed: use only letters, digits, '.', '_' and '-'");

    [Test]
    public Task InstanceVarWithATrailingNewlineIsRefused() => ConfigFixture.ExpectErrors("instance-var-trailing-newline.toml",
        "instance-var-trailing-newline.toml:4:1: 'instance_var' in [[apps]] 'web' must be an environment variable name like NODE_APP_INSTANCE (got \"ID\\n\")");

    [Test]
    public Task ArraysNestedPastTheLimitAreRefusedAtTheFirstBracketTooDeep() => ConfigFixture.ExpectErrors("deep-arrays.toml",
        "deep-arrays.toml:4:72: arrays or inline tables nested more than 64 levels deep; pmx stops reading here (an ecosystem file needs a few levels at most)");

    [Test]
    public Task InlineTablesNestedPastTheLimitAreRefused() => ConfigFixture.ExpectErrors("deep-inline-tables.toml",
        "deep-inline-tables.toml:4:391: arrays or inline tables nested more than 64 levels deep; pmx stops reading here (an ecosystem file needs a few levels at most)");

    [Test]
    public async Task BracketsInsideStringsAndCommentsDoNotCountAsNesting()
    {
        var result = ConfigFixture.Load("brackets-in-strings-and-comments.toml");
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Apps.Single().Args.Count).IsEqualTo(5);
    }

    [Test]
    [Arguments("[", "]")]
    [Arguments("{ a = ", " }")]
    [Arguments("[{ a = ", " }]")]
    public async Task NestingAHundredThousandLevelsDeepIsAnErrorNotAStackOverflow(string open, string close)
    {
        var text = "[[apps]]\nname = \"web\"\nscript = \"sh\"\nargs = " + string.Concat(Enumerable.Repeat(open, 100_000))
            + "1" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        var result = ConfigLoader.Parse(text, "deep.toml", "/", null);
        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Single().Line).IsEqualTo(4);
        await Assert.That(result.Errors.Single().Message).StartsWith("arrays or inline tables nested more than 64 levels deep");
    }

    [Test]
    public async Task DottedKeysAHundredThousandSegmentsLongDoNotCrashTheReader()
    {
        var key = string.Join('.', Enumerable.Repeat("a", 100_000));
        foreach (var text in new[] { $"{key} = 1\n", $"[{key}]\nb = 1\n" })
        {
            var result = ConfigLoader.Parse(text, "dotted.toml", "/", null);
            await Assert.That(result.IsValid).IsFalse();
        }
    }

    /// <summary>"$" in a .NET regex matches before a final newline; no validated value may slip a newline through that way.</summary>
    [Test]
    [Arguments("host = \"127.0.0.1\\n\"")]
    [Arguments("cron_restart = \"0 3 * * *\\n\"")]
    [Arguments("kill_signal = \"SIGTERM\\n\"")]
    [Arguments("exec_mode = \"fork\\n\"")]
    [Arguments("log_date_format = \"HH:mm\\n\"")]
    public async Task AValueWithATrailingNewlineIsRefusedOrKeptExactly(string line)
    {
        var result = ConfigLoader.Parse($"[[apps]]\nname = \"web\"\nscript = \"sh\"\n{line}\n", "newline.toml", "/", null);
        var app = result.Apps.SingleOrDefault();
        if (app is null) await Assert.That(result.Errors.Single().Line).IsEqualTo(4);
        else
        {
            await Assert.That(app.Host).DoesNotContain("\n");
            await Assert.That(app.CronRestart ?? "").DoesNotContain("\n");
            await Assert.That(app.KillSignal).DoesNotContain("\n");
        }
    }

    [Test]
    public async Task AnEndlessFileIsReadOnlyUpToTheSizeLimit()
    {
        var result = ConfigLoader.Load("/dev/zero", null);
        await Assert.That(result.ErrorText()).IsEqualTo(
            "cannot read '/dev/zero': it is larger than 16 MiB, far beyond any ecosystem file (is it the right file?)");
    }

    [Test]
    public async Task ErrorsAndWarningsShowControlCharactersFromTheFileEscaped()
    {
        var result = ConfigLoader.Parse("[[apps]]\nname = \"web\"\nscript = \"./gone\\u001b[2J\"\n\"bad\\u001b]0;title\\u0007\" = 1\n", "esc.toml", "/", null);
        await Assert.That(result.ErrorText()).IsEqualTo(
            "esc.toml:4:1: unknown key 'bad\\u001B]0;title\\u0007' in [[apps]] 'web' (allowed: " + string.Join(", ", AppKeys.All) + ", env_NAME)");
        await Assert.That(result.Warnings.Any(w => w.Any(char.IsControl))).IsFalse();
    }
}
