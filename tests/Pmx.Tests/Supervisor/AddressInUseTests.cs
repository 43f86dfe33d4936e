using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>A worker that says EADDRINUSE: its recorded exit names the port and the fix, whichever comes first.</summary>
public class AddressInUseTests
{
    const string NodeLine = "Error: listen EADDRINUSE: address already in use :::8080";

    [Test, Timeout(10_000)]
    public async Task AnExitAfterTheLineNamesThePortInTheLastExit(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Settle();
        rig.Plumbing.AddressInUseReporters[0](NodeLine);
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(1));

        var row = (await rig.List()).Single();
        await Assert.That(row.LastExit).IsEqualTo("exited 1; port 8080 is already in use (EADDRINUSE) — another instance or program holds it; "
            + "run the app in exec_mode = \"cluster\" (pmx shares one socket) or set port = and accept the socket pmx passes (fd 3)");
        await rig.Advance(TimeSpan.FromMinutes(2));
        _ = up;
    }

    [Test, Timeout(10_000)]
    public async Task AStartThatCrashLoopsOnEaddrinuseQuotesTheLineAndNamesThePort(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { MaxRestarts = 2 });
        await rig.Settle();
        await rig.CrashEveryLaunch(launch => rig.Plumbing.AddressInUseReporters[launch](NodeLine), ExitStatus.Exited(1));
        var outcome = await up;

        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message).Contains("(last: exited 1; port 8080 is already in use (EADDRINUSE)");
        await Assert.That(outcome.Message).Contains("; it printed: " + NodeLine);
    }

    [Test, Timeout(10_000)]
    public async Task ALineThatArrivesAfterTheExitAmendsTheRecordedExit(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(1));
        rig.Plumbing.AddressInUseReporters[0](NodeLine);
        await rig.Settle();

        var details = await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.Describe("web", (_, _) => ("o", "e"))!));
        await Assert.That(details.Instances[0].Process.LastExit).StartsWith("exited 1; port 8080 is already in use (EADDRINUSE)");
        await Assert.That(details.Instances[0].RecentExits[^1].Reason).StartsWith("exited 1; port 8080 is already in use (EADDRINUSE)");
        await rig.Advance(TimeSpan.FromMinutes(2));
        _ = up;
    }
}
