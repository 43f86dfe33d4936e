using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>PM2's pm_id: daemon-wide instance ids, shown by `pmx list` and taken as targets.</summary>
public class SlotIdTests
{
    static readonly TimeSpan Grace = AppSupervisor.MaxStartGrace;

    [Test, Timeout(10_000)]
    public async Task IdsAreGivenInCreationOrderAcrossAppsAndNeverReusedAfterAScaleDown(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App("web", instances: 2), SupervisorRig.App("api", instances: 1));
        await rig.Advance(Grace);
        await up;
        var before = await rig.List();

        var down = rig.Run(s => s.Scale("web", "1", _ => { }));
        await rig.Settle();
        await rig.Exit(before.Single(r => r.Name == "web" && r.Instance == 1).Pid, Pmx.Processes.ExitStatus.Exited(0));
        await down;
        var up2 = rig.Run(s => s.Scale("web", "2", _ => { }));
        await rig.Advance(Grace);
        await up2;
        var after = await rig.List();

        await Assert.That(before.Select(r => $"{r.Name}#{r.Instance}={r.Id}")).IsEquivalentTo(["api#0=2", "web#0=0", "web#1=1"], CollectionOrdering.Matching);
        await Assert.That(after.Where(r => r.Name == "web").Select(r => $"{r.Instance}={r.Id}")).IsEquivalentTo(["0=0", "1=3"], CollectionOrdering.Matching);
    }

    [Test, Timeout(10_000)]
    public async Task ANumericTargetNamesTheAppWhoseInstanceHasThatIdAndAnythingElsePassesThrough(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App("web", instances: 2), SupervisorRig.App("api", instances: 1), SupervisorRig.App("7", instances: 1));
        await rig.Advance(Grace);
        await up;

        var resolved = await rig.Loop.InvokeAsync(() => Task.FromResult(new[] { "0", "1", "2", "7", "42", "web", "all", "-1" }
            .Select(rig.Supervisor.ResolveTarget).ToArray()));

        await Assert.That(resolved).IsEquivalentTo(["web", "web", "api", "7", "42", "web", "all", "-1"], CollectionOrdering.Matching);
    }

    [Test, Timeout(10_000)]
    public async Task AnIdSelectsOneProcessANameItsWholeAppAndAnAppNamedLikeAnIdWins(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App("web", instances: 2), SupervisorRig.App("api", instances: 1), SupervisorRig.App("0", instances: 1));
        await rig.Advance(Grace);
        await up;

        var selected = await rig.Loop.InvokeAsync(() => Task.FromResult(new[] { "1", "web", "0", "web#1", "1,api", "2,0" }
            .Select(t => string.Join(" ", rig.Supervisor.Select(t).Selections.Select(s => s.Label))).ToArray()));
        var unknown = await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.Select("42").Unknown?.Message));

        await Assert.That(selected).IsEquivalentTo(["web#1", "web", "0", "web#1", "web#1 api", "api#0 0"], CollectionOrdering.Matching);
        await Assert.That(unknown).Contains("no app named '42' and no process with that id");
    }

    [Test, Timeout(10_000)]
    public async Task StoppingOneInstanceByIdStopsOnlyItAndClosesOnlyItsPerInstanceSocket(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.ClusterApp("web", instances: 2) with { ReusePort = Pmx.Config.ReusePortMode.PerInstance });
        await rig.Advance(Grace);
        await up;
        var before = await rig.List();

        var stop = rig.Run(s => s.Stop("1", _ => { }));
        await rig.Settle();
        await rig.Exit(before.Single(r => r.Id == 1).Pid, Pmx.Processes.ExitStatus.KilledBy(15));
        var outcome = await stop;
        var after = await rig.List();
        var sockets = await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.Apps.Single().Slots.Select(s => s.OwnSocket is not null).ToArray()));

        await Assert.That(outcome.Message).IsEqualTo("web#1 stopped");
        await Assert.That(after.Select(r => $"{r.Id}={r.Status}")).IsEquivalentTo(["0=Online", "1=Stopped"], CollectionOrdering.Matching);
        await Assert.That(sockets).IsEquivalentTo([true, false], CollectionOrdering.Matching);
    }

    [Test, Timeout(10_000)]
    public async Task ASignalToAnIdReachesThatWorkerOnly(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App("web", instances: 2));
        await rig.Advance(Grace);
        await up;
        var rows = await rig.List();

        var outcome = await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.Signal("SIGUSR2", "1")));

        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.SignalsSentTo(rows.Single(r => r.Id == 1).Pid)).IsEquivalentTo([12], CollectionOrdering.Matching);
        await Assert.That(rig.Host.SignalsSentTo(rows.Single(r => r.Id == 0).Pid)).IsEmpty();
    }
}
