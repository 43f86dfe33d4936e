namespace Pmx.Tests.Config;

/// <summary>The exact text a user sees for each broken file: file:line:col, the key, and what is allowed.</summary>
public class ConfigErrorMessageTests
{
    [Test]
    public Task UnknownKeySuggestsTheClosestKnownKey() => ConfigFixture.ExpectErrors("unknown-key.toml",
        "unknown-key.toml:4:1: unknown key 'instnces' in [[apps]] 'web' (did you mean 'instances'?)");

    [Test]
    public Task UnknownTopLevelKeySaysOnlyAppsIsAllowed() => ConfigFixture.ExpectErrors("unknown-top-level.toml",
        "unknown-top-level.toml:1:3: unknown top-level key 'app' (did you mean 'apps'?); only [[apps]] tables are allowed at the top level");

    [Test]
    public Task AppWithoutNamePointsAtItsHeader() => ConfigFixture.ExpectErrors("missing-name.toml",
        "missing-name.toml:5:1: [[apps]] #2 has no 'name' (required: a unique name made of letters, digits, '.', '_' and '-')");

    [Test]
    public Task AppWithoutScriptIsAnError() => ConfigFixture.ExpectErrors("missing-script.toml",
        "missing-script.toml:1:1: [[apps]] 'web' has no 'script' (required: the program or script file to run)");

    [Test]
    public Task DuplicateNameNamesTheFirstUse() => ConfigFixture.ExpectErrors("duplicate-name.toml",
        "duplicate-name.toml:6:1: duplicate app name 'web' (already used by the [[apps]] at line 2); names must be unique");

    [Test]
    public Task StringWhereAnIntegerIsExpectedSaysWhatIsAllowed() => ConfigFixture.ExpectErrors("wrong-type.toml",
        "wrong-type.toml:4:1: 'instances' in [[apps]] 'web' must be an integer ≥ -1 or \"max\" (0 or \"max\" = one per CPU, -1 = CPUs minus one) (got string \"four\")");

    [Test]
    public Task PortOutOfRangeGivesTheRange() => ConfigFixture.ExpectErrors("port-out-of-range.toml",
        "port-out-of-range.toml:4:1: 'port' in [[apps]] 'web' must be a port number between 1 and 65535 (got integer 70000)");

    [Test]
    public Task TomlSyntaxErrorHasLineAndColumn() => ConfigFixture.ExpectErrors("syntax-error.toml",
        "syntax-error.toml:4:7: Unexpected token end-of-line found while expecting a value");

    [Test]
    public Task UnknownSignalListsExamples() => ConfigFixture.ExpectErrors("bad-signal.toml",
        "bad-signal.toml:4:1: 'kill_signal' in [[apps]] 'web' must be a signal name or number such as \"SIGINT\", \"SIGTERM\", \"TERM\" or 15 (got string \"SIGFOO\")");

    [Test]
    public Task DurationWithoutAKnownUnitIsRejected() => ConfigFixture.ExpectErrors("bad-duration.toml",
        "bad-duration.toml:4:1: 'listen_timeout' in [[apps]] 'web' must be a number of milliseconds or a string with a unit (\"500ms\", \"5s\", \"2m\", \"1h\") (got string \"5 minutes\")");

    [Test]
    public Task ClusterModeWithoutPortIsRejected() => ConfigFixture.ExpectErrors("cluster-without-port.toml",
        "cluster-without-port.toml:5:1: [[apps]] 'web' uses exec_mode = \"cluster\" but has no 'port' (cluster instances share the port pmx binds; add port = 8080 or use exec_mode = \"fork\")");

    [Test]
    public Task NameWithASpaceIsRejected() => ConfigFixture.ExpectErrors("bad-name.toml",
        "bad-name.toml:2:1: app name \"my web\" is not allowed: use only letters, digits, '.', '_' and '-'");

    [Test]
    public Task NegativeTimeoutIsRejected() => ConfigFixture.ExpectErrors("negative-timeout.toml",
        "negative-timeout.toml:4:1: 'kill_timeout' in [[apps]] 'web' must be a non-negative duration: a number of milliseconds or a string with a unit (\"500ms\", \"5s\", \"2m\", \"1h\") (got integer -1)");

    [Test]
    public Task EnvThatIsNotATableIsRejected() => ConfigFixture.ExpectErrors("env-not-table.toml",
        "env-not-table.toml:4:1: 'env' in [[apps]] 'web' must be a table of NAME = \"value\" pairs ([apps.env] or env = { NAME = \"value\" }) (got string \"NODE_ENV=production\")");

    [Test]
    public Task EnvValueThatIsAnArrayPointsAtItsOwnLine() => ConfigFixture.ExpectErrors("bad-env-value.toml",
        "bad-env-value.toml:7:1: 'env.LIST' in [[apps]] 'web' must be a string, number or boolean (got array)");

    [Test]
    public Task ArgsStringWithAnUnterminatedQuoteIsRejected() => ConfigFixture.ExpectErrors("bad-args-string.toml",
        "bad-args-string.toml:4:1: 'args' in [[apps]] 'web' has an unterminated single quote; write it as an array of strings instead (\"args = [\\\"--a\\\", \\\"b c\\\"]\")");

    [Test]
    public Task InvalidUtf8NamesTheLineColumnAndByte() => ConfigFixture.ExpectErrors("invalid-utf8.toml",
        "invalid-utf8.toml:3:14: invalid UTF-8 (byte 0xE9 at offset 35); save the file as UTF-8");

    [Test]
    public Task EmptyFileHasNoApps() => ConfigFixture.ExpectErrors("empty.toml",
        "empty.toml:1:1: no apps defined (add an [[apps]] table with at least 'name' and 'script')");

    [Test]
    public Task FileWithOnlyCommentsHasNoApps() => ConfigFixture.ExpectErrors("comments-only.toml",
        "comments-only.toml:1:1: no apps defined (add an [[apps]] table with at least 'name' and 'script')");

    [Test]
    public Task EveryErrorIsReportedInLineOrder() => ConfigFixture.ExpectErrors("several-errors.toml",
        "several-errors.toml:4:1: unknown key 'instnces' in [[apps]] 'web' (did you mean 'instances'?)",
        "several-errors.toml:5:1: 'port' in [[apps]] 'web' must be a port number between 1 and 65535 (got integer 0)",
        "several-errors.toml:6:1: 'kill_signal' in [[apps]] 'web' must be a signal name or number such as \"SIGINT\", \"SIGTERM\", \"TERM\" or 15 (got string \"SIGFOO\")",
        "several-errors.toml:9:1: duplicate app name 'web' (already used by the [[apps]] at line 2); names must be unique",
        "several-errors.toml:11:1: 'exec_mode' in [[apps]] 'web' must be \"fork\" or \"cluster\" (got \"clustr\")");

    [Test]
    public async Task EachErrorCarriesTheKeyAtFault()
    {
        var keys = ConfigFixture.Load("several-errors.toml").Errors.Select(e => e.Key).ToList();
        await Assert.That(string.Join(",", keys)).IsEqualTo("instnces,port,kill_signal,name,exec_mode");
    }
}
