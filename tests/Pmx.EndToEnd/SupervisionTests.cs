using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>The supervisor issue's promises, checked against the published binary and real workers.</summary>
public class SupervisionTests
{
    static string FourApps() => $"""
        [[apps]]
        name = "idle"
        script = "{PmxSandbox.TestWorker}"
        instances = 2

        [[apps]]
        name = "crash"
        script = "{PmxSandbox.TestWorker}"
        args = ["--exit", "3"]
        max_restarts = 3

        [[apps]]
        name = "stubborn"
        script = "{PmxSandbox.TestWorker}"
        args = ["--ignore", "INT,TERM"]
        kill_timeout = 1500

        [[apps]]
        name = "sleeper"
        script = "sleep"
        args = ["1000"]
        interpreter = "none"
        """;

    static async Task<PmxSandbox> UpFourApps(CancellationToken ct)
    {
        var sandbox = new PmxSandbox();
        await sandbox.DisposeIfSetupFails(async () =>
        {
            sandbox.WriteConfig(FourApps());
            var up = await sandbox.Pmx(ct, "up");
            // An honest start: the crash-looping app fails `up`, the others start anyway.
            await Assert.That(up.ExitCode).IsEqualTo(1).Because(up.Stdout + up.Stderr);
            await Assert.That(up.Stderr).Contains("crash#0 crash-looped");
            await Poll.Until(async () =>
            {
                var rows = await sandbox.List(ct);
                return rows.Count(r => r.Status == "online") == 4 && rows.Any(r => r.Name == "crash" && r.Status == "errored");
            }, TimeSpan.FromSeconds(20), "the steady apps online and the crashing one errored", ct);
        });
        return sandbox;
    }

    [Test, Timeout(60_000)]
    public async Task UpRunsEveryAppAndACrashingOneEndsErroredAfterMaxRestarts(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Count).IsEqualTo(5);
        await Assert.That(rows.Where(r => r.Name != "crash").All(r => r.Status == "online" && r.Pid > 0)).IsTrue();
        var crash = rows.Single(r => r.Name == "crash");
        await Assert.That(crash.Restarts).IsLessThanOrEqualTo(4);
        await Assert.That(crash.Pid).IsEqualTo(0);
    }

    [Test, Timeout(60_000)]
    public async Task AWorkerStartsWithNoBlockedAndNoIgnoredSignals(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        var sleeper = (await sandbox.List(ct)).Single(r => r.Name == "sleeper");
        var status = await File.ReadAllLinesAsync($"/proc/{sleeper.Pid}/status", ct);
        await Assert.That(status).Contains("SigBlk:\t0000000000000000");
        await Assert.That(status).Contains("SigIgn:\t0000000000000000");
    }

    [Test, Timeout(60_000)]
    public async Task AWorkerKilledWithSigkillIsReplacedByANewOnlinePid(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        var before = (await sandbox.List(ct)).First(r => r.Name == "idle");
        Process.GetProcessById(before.Pid).Kill();
        await Poll.Until(async () =>
        {
            var now = (await sandbox.List(ct)).Single(r => r.Name == "idle" && r.Instance == before.Instance);
            return now.Status == "online" && now.Pid != before.Pid && now.Pid > 0;
        }, TimeSpan.FromSeconds(10), "a replacement worker online", ct);
    }

    [Test, Timeout(60_000)]
    public async Task StoppingAnAppThatIgnoresItsKillSignalSigkillsItAfterKillTimeout(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        var stubborn = (await sandbox.List(ct)).Single(r => r.Name == "stubborn");
        var clock = Stopwatch.StartNew();
        var stop = await sandbox.Pmx(ct, "stop", "stubborn");
        var took = clock.Elapsed;
        await Assert.That(stop.ExitCode).IsEqualTo(0);
        await Assert.That(stop.Stdout).Contains("sending SIGKILL");
        await Assert.That(took).IsGreaterThan(TimeSpan.FromMilliseconds(1300));
        await Assert.That(took).IsLessThan(TimeSpan.FromSeconds(5));
        await Assert.That(Directory.Exists($"/proc/{stubborn.Pid}")).IsFalse();
        var after = (await sandbox.List(ct)).Single(r => r.Name == "stubborn");
        await Assert.That(after.Status).IsEqualTo("stopped");
    }

    [Test, Timeout(60_000)]
    public async Task PmxHomeIsPrivateAndTheControlSocketIsOwnerOnly(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        await Assert.That(File.GetUnixFileMode(sandbox.Home) & (UnixFileMode)0x1FF).IsEqualTo((UnixFileMode)0x1C0); // 0700
        await Assert.That(File.GetUnixFileMode(Path.Combine(sandbox.Home, "pmx.sock")) & (UnixFileMode)0x1FF).IsEqualTo((UnixFileMode)0x180); // 0600
    }

    [Test, Timeout(60_000)]
    public async Task DownStopsEveryWorkerAndTheDaemon(CancellationToken ct)
    {
        await using var sandbox = await UpFourApps(ct);
        var pids = (await sandbox.List(ct)).Where(r => r.Pid > 0).Select(r => r.Pid).ToList();
        var down = await sandbox.Pmx(ct, "down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr);
        await Poll.Until(() => !sandbox.ProcessesOfThisHome().Any(), TimeSpan.FromSeconds(5), "every process of this PMX_HOME to exit", ct);
        await Assert.That(pids.Any(pid => Directory.Exists($"/proc/{pid}"))).IsFalse();
        await Assert.That(File.Exists(Path.Combine(sandbox.Home, "pmx.sock"))).IsFalse();
    }

    [Test, Timeout(60_000)]
    public async Task WorkerOutputLandsInTimestampedLogFilesThatPmxLogsPrints(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "talker"
            script = "{PmxSandbox.TestWorker}"
            args = ["--lines", "50", "--stderr-lines", "3"]
            time = true
            """);
        await sandbox.PmxOk(ct, "up");
        var outLog = Path.Combine(sandbox.Home, "logs", "talker-0-out.log");
        await Poll.Until(() => File.Exists(outLog) && File.ReadAllText(outLog).Contains("line 50"), TimeSpan.FromSeconds(10), "line 50 in the log", ct);
        var logs = await sandbox.PmxOk(ct, "logs", "talker", "--lines", "5", "--out");
        await Assert.That(logs.Stdout).Contains("line 50");
        await Assert.That(logs.Stdout).DoesNotContain("line 40\n");
        var errLog = await File.ReadAllTextAsync(Path.Combine(sandbox.Home, "logs", "talker-0-err.log"), ct);
        await Assert.That(errLog).Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}: line 3");
    }

    [Test, Timeout(60_000)]
    public async Task AMissingExecutableIsAClearPerAppErrorAndTheDaemonKeepsServing(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig("""
            [[apps]]
            name = "ghost"
            script = "no-such-program-pmx"
            interpreter = "none"

            [[apps]]
            name = "sleeper"
            script = "sleep"
            args = ["1000"]
            """);
        var up = await sandbox.Pmx(ct, "up");
        await Assert.That(up.ExitCode).IsEqualTo(1);
        await Assert.That(up.Stderr).Contains("ghost");
        await Assert.That(up.Stderr).Contains("no-such-program-pmx");
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Single(r => r.Name == "ghost").Status).IsEqualTo("errored");
        await Assert.That(rows.Single(r => r.Name == "sleeper").Status).IsEqualTo("online");
    }
}
