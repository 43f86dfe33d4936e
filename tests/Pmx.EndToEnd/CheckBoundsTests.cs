namespace Pmx.EndToEnd;

/// <summary>`pmx check` on hostile input: the published binary answers exit 2 with file:line:col, never crashes.</summary>
public class CheckBoundsTests
{
    [Test, Timeout(30_000)]
    [Arguments("[", "]")]
    [Arguments("{ a = ", " }")]
    public async Task NestingAHundredThousandLevelsDeepExitsTwoWithThePosition(string open, string close, CancellationToken ct)
    {
        var text = "[[apps]]\nname = \"web\"\nscript = \"sh\"\nargs = " + string.Concat(Enumerable.Repeat(open, 100_000))
            + "1" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        var result = await CheckCommandTests.CheckFile(text, ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("bad.toml:4:")
            .And.Contains("arrays or inline tables nested more than 64 levels deep");
    }

    [Test, Timeout(30_000)]
    public async Task NameWithATrailingNewlineExitsTwo(CancellationToken ct)
    {
        var result = await CheckCommandTests.CheckFile("[[apps]]\nname = \"web\\n\"\nscript = \"sh\"\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).IsEqualTo(
            "bad.toml:2:1: app name \"web\\n\" is not allowed: use only letters, digits, '.', '_' and '-'\n");
    }

    [Test, Timeout(30_000)]
    public async Task NameLongerThanTheLimitExitsTwoNamingTheLimit(CancellationToken ct)
    {
        var result = await CheckCommandTests.CheckFile($"[[apps]]\nname = \"{new string('a', 101)}\"\nscript = \"sh\"\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains("is 101 characters long; the limit is 100");
    }

    [Test, Timeout(30_000)]
    public async Task InstancesAboveTheLimitExitTwoNamingKeyAndLimit(CancellationToken ct)
    {
        var result = await CheckCommandTests.CheckFile("[[apps]]\nname = \"web\"\nscript = \"sh\"\ninstances = 100000\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).IsEqualTo("bad.toml:4:1: 'instances' in [[apps]] 'web' must be at most 4096 (got integer 100000)\n");
    }

    [Test, Timeout(30_000)]
    public async Task AnEndlessConfigFileExitsTwoInsteadOfFillingMemory(CancellationToken ct)
    {
        var result = await PmxRun.Run(["check", "-c", "/dev/zero"], ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains("cannot read '/dev/zero': it is larger than 16 MiB");
    }
}
