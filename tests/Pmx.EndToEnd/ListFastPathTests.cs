namespace Pmx.EndToEnd;

/// <summary>
/// `pmx list`, `pmx ls` and `pmx list --json` skip the CLI framework (FastCommands); a filter sends
/// the same command through it. Both paths must print the same bytes and exit alike.
/// </summary>
public class ListFastPathTests
{
    [Test, Timeout(90_000)]
    public async Task ThePlainListPrintsWhatTheFrameworksListPrintsForTheSameApps(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "web", "-i", "2");
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "queue");
        // Stopped instances show "-" for pid, uptime, cpu and memory: nothing changes between runs.
        await sandbox.PmxOk(ct, "stop", "web");
        await sandbox.PmxOk(ct, "stop", "queue");

        var fast = await sandbox.PmxOk(ct, "list");
        var alias = await sandbox.PmxOk(ct, "ls");
        var framework = await sandbox.PmxOk(ct, "list", "e"); // "e" is in every name
        var fastJson = await sandbox.PmxOk(ct, "list", "--json");
        var frameworkJson = await sandbox.PmxOk(ct, "ls", "e", "--json");

        var lines = fast.Stdout.Split('\n');
        await Assert.That(lines[0]).IsEqualTo("NAME   ID  PID  STATUS   UPTIME  RESTARTS  CPU  MEMORY");
        await Assert.That(lines.Count(line => line.Contains("  stopped  ", StringComparison.Ordinal))).IsEqualTo(3);
        await Assert.That(alias.Stdout).IsEqualTo(fast.Stdout);
        await Assert.That(framework.Stdout).IsEqualTo(fast.Stdout);
        await Assert.That(fastJson.Stdout).StartsWith("[{\"name\":");
        await Assert.That(fastJson.Stdout.Split("\"status\":\"stopped\"").Length).IsEqualTo(4);
        await Assert.That(fastJson.Stdout).IsEqualTo(frameworkJson.Stdout);
    }

    [Test, Timeout(30_000)]
    public async Task WithNoDaemonBothPathsSayThereAreNoAppsAndSucceed(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();

        var fast = await sandbox.Pmx(ct, "list");
        var framework = await sandbox.Pmx(ct, "list", "web");
        var fastJson = await sandbox.Pmx(ct, "ls", "--json");

        await Assert.That(fast.ExitCode).IsEqualTo(0);
        await Assert.That(framework.ExitCode).IsEqualTo(0);
        await Assert.That(fast.Stdout).IsEqualTo(framework.Stdout);
        await Assert.That(fast.Stdout).StartsWith("No apps yet.");
        await Assert.That(fastJson.Stdout).IsEqualTo("[]\n");
        await Assert.That(File.Exists(Path.Combine(sandbox.Home, "pmx.sock"))).IsFalse();
    }
}
