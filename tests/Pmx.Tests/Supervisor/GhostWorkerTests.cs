using Pmx.Control;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>Issue 11, defect 3: every live worker belongs to a slot, and operations on a gone app start nothing.</summary>
public class GhostWorkerTests
{
    [Test, Timeout(10_000)]
    public async Task AnOldWorkerCrashingDuringAReloadLeavesOnlyTheReplacementAlive(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.ClusterApp() with { WaitReady = true, ListenTimeout = TimeSpan.FromSeconds(10) };
        var old = await rig.UpReady(spec);
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var reload = rig.Run(s => s.Reload("web", _ => { }));
        await rig.Settle();
        var incoming = rig.Host.Spawned[1];
        await rig.Exit(old, ExitStatus.Exited(1));
        await rig.Advance(TimeSpan.FromSeconds(1));
        rig.Plumbing.SendReady(1);
        await rig.Settle();
        await Assert.That((await reload).ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned).IsEquivalentTo([old, incoming]);
        var rows = await rig.List();
        await Assert.That(rows.Select(r => r.Pid)).IsEquivalentTo([incoming]);
        await Assert.That(await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.LivePids.ToList()))).IsEquivalentTo([incoming]);
    }

    [Test, Timeout(10_000)]
    [Arguments("restart")]
    [Arguments("reload")]
    [Arguments("scale")]
    [Arguments("start")]
    public async Task ACommandQueuedBehindASlowDeleteStartsNoWorkerForTheGoneApp(string command, CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.ClusterApp() with { KillTimeout = TimeSpan.FromSeconds(5) });
        await rig.Advance(AppSupervisor.MaxStartGrace);
        await up;
        var pid = rig.Host.Spawned[0];
        var delete = rig.Run(s => s.Delete("web", _ => { }));
        await rig.Settle();
        var queued = rig.Run(s => command switch
        {
            "restart" => s.Restart("web", _ => { }),
            "reload" => s.Reload("web", _ => { }),
            "scale" => s.Scale("web", "3", _ => { }),
            _ => s.StartKnown("web", _ => { }),
        });
        await rig.Advance(TimeSpan.FromSeconds(5));
        await rig.Exit(pid, ExitStatus.KilledBy(SignalNames.SIGKILL));
        await Assert.That((await delete).ExitCode).IsEqualTo(0);
        var outcome = await queued;
        await rig.Advance(TimeSpan.FromSeconds(5));
        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(rig.Host.Spawned).IsEquivalentTo([pid]);
        await Assert.That(await rig.List()).IsEmpty();
    }

    [Test, Timeout(10_000)]
    public async Task ARestartWhoseWorkersCrashLoopReportsFailureNotSuccess(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { MaxRestarts = 2 });
        await rig.Advance(AppSupervisor.MaxStartGrace);
        await up;
        var restart = rig.Run(s => s.Restart("web", _ => { }));
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(0));
        for (var launch = 1; launch < 10 && !restart.IsCompleted; launch++)
        {
            await rig.Settle();
            if (rig.Host.Spawned.Count <= launch) break;
            await rig.Exit(rig.Host.Spawned[launch], ExitStatus.Exited(3));
            await rig.Advance(RestartPolicy.CrashLoopFloor);
        }
        var outcome = await restart;
        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message!).Contains("exited 3");
        await Assert.That((await rig.List()).Single().Status).IsEqualTo(ProcessStatus.Errored);
    }
}
