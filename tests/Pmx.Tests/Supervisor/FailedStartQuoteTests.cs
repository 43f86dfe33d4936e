using Pmx.Processes;
using Pmx.Supervisor;
using Pmx.Tests.Logs;

namespace Pmx.Tests.Supervisor;

/// <summary>Honest start: a failed start quotes each instance's exit status and its last stderr line.</summary>
public class FailedStartQuoteTests
{
    [Test, Timeout(10_000)]
    public async Task AnExitWithAutorestartOffQuotesTheStatusAndTheLastNonBlankStderrLineEvenIfItArrivesAfterTheExit(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { Autorestart = false });
        await rig.Settle();
        var stderr = rig.Plumbing.StderrTails[0].Watch(new RecordingSink());
        stderr.OnLine("a warning"u8);

        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(3));
        stderr.OnLine("Error: cannot read config.json\r"u8);
        stderr.OnLine("   "u8);
        stderr.OnClosed();
        var outcome = await up;

        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message).Contains("web#0 exited (exited 3; it printed: Error: cannot read config.json) and autorestart is off");
    }

    [Test, Timeout(10_000)]
    public async Task ACrashLoopQuotesTheLastLineOfTheLastWorker(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { MaxRestarts = 2 });
        await rig.Settle();
        await rig.CrashEveryLaunch(launch =>
        {
            var stderr = rig.Plumbing.StderrTails[launch].Watch(new RecordingSink());
            stderr.OnLine(System.Text.Encoding.UTF8.GetBytes($"boom {launch}"));
            stderr.OnClosed();
        }, ExitStatus.Exited(3));
        var outcome = await up;

        var last = rig.Host.Spawned.Count - 1;
        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message).Contains($"(last: exited 3; it printed: boom {last}); it is errored");
    }
}
