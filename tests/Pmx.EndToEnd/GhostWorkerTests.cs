using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>Issue 11, defect 3: no worker that `pmx list` does not show, and none survives `pmx down`.</summary>
public class GhostWorkerTests
{
    [Test, Timeout(90_000)]
    public async Task AnOldWorkerCrashingDuringAReloadLeavesNoUnlistedWorker(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--notify-ready", "--ready-delay", "2s"]
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            wait_ready = true
            instances = 2
            """);
        await sandbox.PmxOk(ct, "up");
        var before = await sandbox.List(ct);
        var reload = sandbox.Pmx(ct, "reload", "web");
        // While web#0's replacement waits out its ready delay, its old worker dies.
        await Poll.Until(() => WorkerInvariant.DaemonChildren(sandbox).Count > 2, TimeSpan.FromSeconds(10), "a replacement worker spawned", ct);
        using (var kill = Process.Start("kill", ["-KILL", before.Single(r => r.Instance == 0).Pid.ToString()])) await kill.WaitForExitAsync(ct);
        var reloaded = await reload;
        await Assert.That(reloaded.ExitCode).IsEqualTo(0).Because(reloaded.Stdout + reloaded.Stderr);
        await Poll.Until(async () => (await sandbox.List(ct)).All(r => r.Status == "online"), TimeSpan.FromSeconds(15), "both instances online", ct);
        await Poll.Until(() => WorkerInvariant.DaemonChildren(sandbox).Count == 2, TimeSpan.FromSeconds(15), "only two workers left", ct);
        await WorkerInvariant.AssertEveryWorkerIsListed(sandbox, ct);
        await sandbox.PmxOk(ct, "down");
        await WorkerInvariant.AssertNothingSurvivesDown(sandbox, ct);
    }

    [Test, Timeout(90_000)]
    [Arguments("restart")]
    [Arguments("reload")]
    [Arguments("scale")]
    public async Task ACommandQueuedBehindASlowDeleteStartsNothingForTheGoneApp(string command, CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "slow"
            script = "{PmxSandbox.TestWorker}"
            args = ["--stop-delay", "3s"]
            kill_timeout = "10s"
            """);
        await sandbox.PmxOk(ct, "up");
        var delete = sandbox.Pmx(ct, "delete", "slow");
        await Poll.Until(async () => (await sandbox.List(ct)).Any(r => r.Status == "stopping"), TimeSpan.FromSeconds(10), "the delete under way", ct);
        var queued = await sandbox.Pmx(ct, command == "scale" ? ["scale", "slow", "3"] : [command, "slow"]);
        await Assert.That((await delete).ExitCode).IsEqualTo(0);
        await Assert.That(queued.ExitCode).IsEqualTo(1).Because(queued.Stdout + queued.Stderr);
        await Assert.That(await sandbox.List(ct)).IsEmpty();
        await Assert.That(WorkerInvariant.DaemonChildren(sandbox)).IsEmpty();
    }

    [Test, Timeout(60_000)]
    public async Task ARestartOfAnAppThatCrashLoopsExitsOneAndSaysWhy(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var flag = Path.Combine(sandbox.WorkDir, "broken");
        sandbox.WriteConfig($"""
            [[apps]]
            name = "flaky"
            script = "/bin/sh"
            args = ["-c", "if [ -e {flag} ]; then exit 3; fi; exec sleep 600"]
            max_restarts = 2
            """);
        await sandbox.PmxOk(ct, "up");
        File.WriteAllText(flag, "");
        var restart = await sandbox.Pmx(ct, "restart", "flaky");
        await Assert.That(restart.ExitCode).IsEqualTo(1);
        await Assert.That(restart.Stdout + restart.Stderr).Contains("exited 3");
        await WorkerInvariant.AssertEveryWorkerIsListed(sandbox, ct);
    }
}
