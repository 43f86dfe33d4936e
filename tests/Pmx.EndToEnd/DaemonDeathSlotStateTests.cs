using static Pmx.EndToEnd.DaemonWorld;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 14: a slot comes back from a daemon's death as it was. A worker still starting keeps its
/// pid and comes online with the READY=1 it sends to its NOTIFY_SOCKET after the death (the keeper
/// holds the sd_notify socket); an errored slot stays errored.
/// </summary>
[NotInParallel("load")]
public class DaemonDeathSlotStateTests
{
    [Test, Timeout(120_000)]
    public async Task AWorkerStartingWhenTheDaemonDiesKeepsItsPidAndComesOnlineWithTheReadyItSendsAfterwards(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        // The ready signal comes long after the start, so the daemon dies in between.
        sandbox.WriteConfig($"""
            [[apps]]
            name = "slow"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--notify-ready", "--ready-delay", "6s", "--status", "warmed up"]
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            wait_ready = true
            listen_timeout = 60000
            """);
        var up = sandbox.Pmx(ct, "up");
        var starting = 0;
        await Poll.Until(async () => File.Exists(Path.Combine(sandbox.Home, "pmx.sock"))
            && (await sandbox.Pmx(ct, "list", "--json")).ExitCode == 0
            && (await sandbox.List(ct)).SingleOrDefault() is { Status: "launching", Pid: > 0 } s && (starting = s.Pid) > 0,
            TimeSpan.FromSeconds(20), "the worker to be launching", ct);
        var daemon = DaemonPid(sandbox);
        System.Diagnostics.Process.GetProcessById(daemon).Kill();
        await up; // it may fail: its daemon died under it

        await Poll.Until(async () => DaemonPid(sandbox) is var d && d != 0 && d != daemon
            && (await sandbox.Pmx(ct, "list", "--json")).ExitCode == 0
            && (await sandbox.List(ct)).SingleOrDefault() is { Status: "online" } s && s.Pid == starting,
            TimeSpan.FromSeconds(30), $"pid {starting} online under a new daemon", ct);
        var describe = await sandbox.PmxOk(ct, "describe", "slow");
        await Assert.That(describe.Stdout).Contains("warmed up");
        await Assert.That(File.ReadAllText(sandbox.DaemonLog)).DoesNotContain("had no live worker to adopt");

        // The adopted worker's channel is the one a reload's readiness wait does not need: its new worker gets its own.
        var reload = await sandbox.Pmx(ct, "reload", "slow");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
    }

    [Test, Timeout(120_000)]
    public async Task AnErroredSlotIsStillErroredUnderTheNextDaemon(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "broken"
            script = "{PmxSandbox.TestWorker}"
            args = ["--exit", "3"]
            max_restarts = 1
            restart_delay = 0
            exp_backoff_restart_delay = 0
            """);
        await sandbox.Pmx(ct, "up");
        await Poll.Until(async () => (await sandbox.List(ct)).SingleOrDefault() is { Status: "errored" },
            TimeSpan.FromSeconds(30), "the app to be errored", ct);
        // The state file is written once per loop turn, maybe after `list` answered.
        await Poll.Until(() => File.ReadAllText(Path.Combine(sandbox.Home, "state.json")).Contains("\"is_stopped\":true"),
            TimeSpan.FromSeconds(10), "the state file to record the slot as not to be restarted", ct);
        var daemon = DaemonPid(sandbox);
        System.Diagnostics.Process.GetProcessById(daemon).Kill();

        await Poll.Until(async () => DaemonPid(sandbox) is var d && d != 0 && d != daemon
            && (await sandbox.Pmx(ct, "list", "--json")).ExitCode == 0,
            TimeSpan.FromSeconds(30), "a new daemon answering", ct);
        var listed = (await sandbox.List(ct)).Single();
        await Assert.That(listed.Status).IsEqualTo("errored");
        await Assert.That(listed.Pid).IsEqualTo(0);
        await Assert.That((await sandbox.PmxOk(ct, "describe", "broken")).Stdout).Contains("exited 3");
    }
}
