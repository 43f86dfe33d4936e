namespace Pmx.EndToEnd;

/// <summary>Log files that users (or their tools) delete, and log files inside a watched tree.</summary>
public class LogFileLifeTests
{
    const string TickEvery20ms = "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.02; done";

    [Test, Timeout(60_000)]
    public async Task ALogsFolderDeletedWhileAnAppPrintsIsRecreatedWithTheNewLines(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "ticker"
            time = true
            script = "/bin/sh"
            interpreter = "none"
            args = ["-c", "{TickEvery20ms}"]
            """);
        await sandbox.PmxOk(ct, "up");
        var logs = Path.Combine(sandbox.Home, "logs");
        var log = Path.Combine(logs, "ticker-0-out.log");
        await Poll.Until(() => File.Exists(log) && File.ReadAllText(log).Contains(": tick 2\n"), TimeSpan.FromSeconds(10), "ticks in the log", ct);

        Directory.Delete(logs, recursive: true);

        await Poll.Until(() => File.Exists(log) && File.ReadAllText(log).Split('\n').Count(l => l.Contains(": tick ")) >= 3,
            TimeSpan.FromSeconds(10), "the log file recreated at its path with new ticks", ct);
        await Assert.That((await sandbox.PmxOk(ct, "logs", "ticker", "--lines", "3", "--out")).Stdout).Contains(": tick ");
    }

    [Test, Timeout(60_000)]
    public async Task AnOutFileInsideTheWatchedTreeDoesNotReloadTheAppOnlyASourceChangeDoes(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var tree = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "app")).FullName;
        var outFile = Path.Combine(tree, "logs", "app.out.log");
        sandbox.WriteConfig($"""
            [[apps]]
            name = "watched"
            time = true
            script = "/bin/sh"
            interpreter = "none"
            args = ["-c", "{TickEvery20ms}"]
            watch = ["{tree}"]
            out_file = "{outFile}"
            """);
        await sandbox.PmxOk(ct, "up");
        await Poll.Until(() => File.Exists(outFile) && File.ReadAllText(outFile).Contains(": tick 2\n"), TimeSpan.FromSeconds(10), "the worker's ticks in its out_file", ct);

        var source = Path.Combine(tree, "server.js");
        await File.WriteAllTextAsync(source, "v2", ct);
        await Poll.Until(async () => (await sandbox.List(ct)).Single() is { Restarts: >= 1, Status: "online" }, TimeSpan.FromSeconds(15), "the reload the source change asked for", ct);
        // The replacement ticks into the watched tree too; a reload its lines caused would name the out_file.
        await Poll.Until(() => File.ReadAllText(outFile).Split('\n').Count(l => l.EndsWith(": tick 20", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(15), "twenty ticks of the replacement in the out_file", ct);
        await File.WriteAllTextAsync(source, "v3", ct);
        await Poll.Until(async () => (await sandbox.List(ct)).Single() is { Restarts: >= 2, Status: "online" }, TimeSpan.FromSeconds(15), "the second source change's reload", ct);

        var reloads = File.ReadAllLines(sandbox.DaemonLog).Where(l => l.Contains(" changed; reloading", StringComparison.Ordinal)).ToArray();
        await Assert.That(reloads.Length).IsEqualTo(2).Because(string.Join('\n', reloads));
        await Assert.That(reloads.All(l => l.Contains(source, StringComparison.Ordinal))).IsTrue().Because(string.Join('\n', reloads));
    }
}
