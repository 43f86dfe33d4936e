using Pmx.Control;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

public class SupervisorTests
{
    static readonly TimeSpan Grace = Pmx.Supervisor.AppSupervisor.MaxStartGrace;

    [Test, Timeout(10_000)]
    public async Task UpStartsEveryInstanceAndReportsThemOnlineAfterTheStartGrace(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App(instances: 2));
        await rig.Advance(Grace);
        var outcome = await up;
        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        var rows = await rig.List();
        await Assert.That(rows.Select(r => r.Status)).IsEquivalentTo([ProcessStatus.Online, ProcessStatus.Online], CollectionOrdering.Matching);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
    }

    [Test, Timeout(10_000)]
    public async Task ACrashLoopEndsErroredAfterMaxRestartsWithoutSpinning(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { MaxRestarts = 3 });
        await rig.Settle();
        for (var launch = 0; launch < 10; launch++)
        {
            var spawned = rig.Host.Spawned;
            if (spawned.Count <= launch) break;
            await rig.Exit(spawned[launch], ExitStatus.Exited(3));
            await rig.Advance(RestartPolicy.CrashLoopFloor);
        }
        await up;
        var row = (await rig.List()).Single();
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Errored);
        await Assert.That(row.Restarts).IsEqualTo(3);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(4);
        await Assert.That(row.LastExit).IsEqualTo("exited 3");
    }

    [Test, Timeout(10_000)]
    public async Task ACrashedWorkerIsReplacedByANewPid(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Advance(Grace);
        await up;
        var first = rig.Host.Spawned[0];
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.Exit(first, ExitStatus.KilledBy(SignalNames.SIGKILL));
        await rig.Advance(TimeSpan.Zero);
        await rig.Advance(Grace);
        var row = (await rig.List()).Single();
        await Assert.That(row.Pid).IsNotEqualTo(first);
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Online);
        await Assert.That(row.Restarts).IsEqualTo(1);
    }

    [Test, Timeout(10_000)]
    public async Task StopSendsKillSignalThenSigkillAfterKillTimeout(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App() with { KillSignal = "SIGTERM", KillTimeout = TimeSpan.FromMilliseconds(1500) });
        await rig.Advance(Grace);
        await up;
        var pid = rig.Host.Spawned[0];
        var stop = rig.Run(s => s.Stop("web", _ => { }));
        await rig.Settle();
        await Assert.That(rig.Host.SignalsSentTo(pid)).IsEquivalentTo([SignalNames.SIGTERM], CollectionOrdering.Matching);
        await rig.Advance(TimeSpan.FromMilliseconds(1499));
        await Assert.That(rig.Host.SignalsSentTo(pid)).DoesNotContain(SignalNames.SIGKILL);
        await rig.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.That(rig.Host.SignalsSentTo(pid)).IsEquivalentTo([SignalNames.SIGTERM, SignalNames.SIGKILL], CollectionOrdering.Matching);
        await rig.Exit(pid, ExitStatus.KilledBy(SignalNames.SIGKILL));
        var outcome = await stop;
        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        var row = (await rig.List()).Single();
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Stopped);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(1);
    }

    [Test, Timeout(10_000)]
    public async Task AWorkerThatExitsOnItsKillSignalIsNeverSigkilledWhileAlive(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Advance(Grace);
        await up;
        var pid = rig.Host.Spawned[0];
        var stop = rig.Run(s => s.Stop("web", _ => { }));
        await rig.Settle();
        await rig.Exit(pid, ExitStatus.Exited(0));
        await stop;
        // No SIGKILL at all: the host sweeps the process group as it reaps the leader, not the supervisor.
        await Assert.That(rig.Host.SignalsSentTo(pid)).IsEquivalentTo([SignalNames.SIGINT], CollectionOrdering.Matching);
        await rig.Advance(TimeSpan.FromSeconds(30));
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(1);
    }

    [Test, Timeout(10_000)]
    public async Task ReloadStopsTheOldWorkerOnlyAfterTheNewOneIsReady(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.ClusterApp() with { WaitReady = true, ListenTimeout = TimeSpan.FromSeconds(10) };
        var old = await rig.UpReady(spec);
        var reload = rig.Run(s => s.Reload("web", _ => { }));
        await rig.Settle();
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
        await rig.Advance(TimeSpan.FromSeconds(5));
        await Assert.That(rig.Host.SignalsSentTo(old)).IsEmpty();
        rig.Plumbing.SendReady(1);
        await rig.Settle();
        await Assert.That(rig.Host.SignalsSentTo(old)).IsEquivalentTo([SignalNames.SIGINT], CollectionOrdering.Matching);
        await rig.Exit(old, ExitStatus.Exited(0));
        var outcome = await reload;
        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        var row = (await rig.List()).Single();
        await Assert.That(row.Pid).IsEqualTo(rig.Host.Spawned[1]);
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Online);
    }

    [Test, Timeout(10_000)]
    public async Task AReplacementReadyBeforeItsSpawnReturnsCountsAsAReloadedSlot(CancellationToken ct)
    {
        // A fast worker's READY can reach the loop before its spawn's outcome does: the slot is
        // promoted in the very step that ends the launch, and the reload must still see success.
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.ClusterApp() with { WaitReady = true, ListenTimeout = TimeSpan.FromSeconds(10) };
        var old = await rig.UpReady(spec);
        rig.Host.BeforeSpawnReturns = _ => rig.Plumbing.SendReady(1);
        var reload = rig.Run(s => s.Reload("web", _ => { }));
        await rig.Settle();
        await rig.Exit(old, ExitStatus.Exited(0));
        var outcome = await reload;
        await Assert.That(outcome.ExitCode).IsEqualTo(0).Because(outcome.Message ?? "");
        var row = (await rig.List()).Single();
        await Assert.That(row.Pid).IsEqualTo(rig.Host.Spawned[1]);
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Online);
    }

    [Test, Timeout(10_000)]
    public async Task AReloadWhoseNewWorkerNeverGetsReadyFailsAndKeepsTheOldOne(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.ClusterApp() with { WaitReady = true, ListenTimeout = TimeSpan.FromSeconds(3) };
        var old = await rig.UpReady(spec);
        var reload = rig.Run(s => s.Reload("web", _ => { }));
        await rig.Settle();
        var incoming = rig.Host.Spawned[1];
        await rig.Advance(TimeSpan.FromSeconds(3));
        await Assert.That(rig.Host.SignalsSentTo(incoming)).Contains(SignalNames.SIGINT);
        await rig.Exit(incoming, ExitStatus.Exited(130));
        var outcome = await reload;
        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message!).Contains("no ready signal");
        await Assert.That(rig.Host.SignalsSentTo(old)).IsEmpty();
        var row = (await rig.List()).Single();
        await Assert.That(row.Pid).IsEqualTo(old);
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Online);
    }

    [Test, Timeout(10_000)]
    public async Task TwoReloadsOfOneAppRunOneAfterTheOtherNeverInterleaved(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.ClusterApp() with { WaitReady = true, ListenTimeout = TimeSpan.FromSeconds(10) };
        await rig.UpReady(spec);
        var first = rig.Run(s => s.Reload("web", _ => { }));
        var second = rig.Run(s => s.Reload("web", _ => { }));
        await rig.Settle();
        // Only the first reload's replacement exists until that reload has finished.
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
        rig.Plumbing.SendReady(1);
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(0));
        await Assert.That((await first).ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(3);
        await Assert.That(second.IsCompleted).IsFalse();
        rig.Plumbing.SendReady(2);
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[1], ExitStatus.Exited(0));
        await Assert.That((await second).ExitCode).IsEqualTo(0);
        await Assert.That((await rig.List()).Single().Pid).IsEqualTo(rig.Host.Spawned[2]);
    }

    [Test, Timeout(10_000)]
    public async Task UpWithAnUnchangedConfigLeavesRunningWorkersAlone(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var first = rig.Up(SupervisorRig.App(instances: 2));
        await rig.Advance(Grace);
        await first;
        var again = await rig.Up(SupervisorRig.App(instances: 2));
        await Assert.That(again.ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
        await Assert.That(rig.Host.Signals).IsEmpty();
    }

    [Test, Timeout(10_000)]
    public async Task ScalingDownStopsTheHighestInstancesGracefully(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App(instances: 3));
        await rig.Advance(Grace);
        await up;
        var scale = rig.Run(s => s.Scale("web", "-2", _ => { }));
        await rig.Settle();
        var pids = rig.Host.Spawned;
        await Assert.That(rig.Host.SignalsSentTo(pids[0])).IsEmpty();
        await Assert.That(rig.Host.SignalsSentTo(pids[1])).IsEquivalentTo([SignalNames.SIGINT], CollectionOrdering.Matching);
        await Assert.That(rig.Host.SignalsSentTo(pids[2])).IsEquivalentTo([SignalNames.SIGINT], CollectionOrdering.Matching);
        await rig.Exit(pids[1], ExitStatus.Exited(0));
        await rig.Exit(pids[2], ExitStatus.Exited(0));
        await scale;
        var rows = await rig.List();
        await Assert.That(rows.Count).IsEqualTo(1);
        await Assert.That(rows[0].Instance).IsEqualTo(0);
    }

    [Test, Timeout(10_000)]
    public async Task AnAppThatCannotBeSpawnedIsErroredWithTheReason(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        rig.Host.FailSpawnWith = new SpawnException("/bin/app", "cannot start '/bin/app': no such file or directory");
        var outcome = await rig.Up(SupervisorRig.App());
        await Assert.That(outcome.ExitCode).IsEqualTo(1);
        await Assert.That(outcome.Message!).Contains("no such file or directory");
        var row = (await rig.List()).Single();
        await Assert.That(row.Status).IsEqualTo(ProcessStatus.Errored);
    }

    [Test]
    public async Task ScaleAcceptsAbsoluteAndRelativeCounts()
    {
        await Assert.That(Pmx.Supervisor.AppSupervisor.TryParseScale("4", 2, out var a) ? a : -1).IsEqualTo(4);
        await Assert.That(Pmx.Supervisor.AppSupervisor.TryParseScale("+2", 2, out var b) ? b : -1).IsEqualTo(4);
        await Assert.That(Pmx.Supervisor.AppSupervisor.TryParseScale("-1", 2, out var c) ? c : -1).IsEqualTo(1);
        await Assert.That(Pmx.Supervisor.AppSupervisor.TryParseScale("-3", 2, out _)).IsFalse();
        await Assert.That(Pmx.Supervisor.AppSupervisor.TryParseScale("x", 2, out _)).IsFalse();
    }
}
