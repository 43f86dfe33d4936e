namespace Pmx.EndToEnd;

/// <summary>Issue 11, defect 2: timers beyond .NET's ~49.7-day limit neither crash the daemon nor leave an app launching.</summary>
public class LongTimerTests
{
    [Test, Timeout(60_000)]
    public async Task ACronMonthsAwayAndARestartDelayOf1200HoursKeepTheDaemonUpAndTheAppsOnline(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        // Whatever today is, one of these is more than 49.7 days away.
        sandbox.WriteConfig($"""
            [[apps]]
            name = "june"
            script = "{PmxSandbox.TestWorker}"
            cron_restart = "0 0 1 6 *"

            [[apps]]
            name = "december"
            script = "{PmxSandbox.TestWorker}"
            cron_restart = "0 0 1 12 *"

            [[apps]]
            name = "patient"
            script = "{PmxSandbox.TestWorker}"
            restart_delay = "1200h"
            listen_timeout = "2000h"
            kill_timeout = "2000h"
            """);
        var up = await sandbox.Pmx(ct, "up");
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stdout + up.Stderr);
        await Poll.Until(async () => (await sandbox.List(ct)) is { Count: 3 } rows && rows.All(r => r.Status == "online"),
            TimeSpan.FromSeconds(15), "all three apps online", ct);
        var again = await sandbox.PmxOk(ct, "list");
        await Assert.That(again.Stdout).Contains("patient");
    }
}
