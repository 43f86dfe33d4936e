using Pmx.Config;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>Issue 10: how a reload replaces workers depends on who owns the listening socket.</summary>
public class ReloadStrategyTests
{
    [Test]
    public async Task OnlyClusterAppsOnAPmxOwnedSocketReloadInPlace()
    {
        await Assert.That(ReloadStrategy.ReloadsInPlace(SupervisorRig.ClusterApp())).IsTrue();
        await Assert.That(ReloadStrategy.ReloadsInPlace(SupervisorRig.App())).IsFalse();
        await Assert.That(ReloadStrategy.ReloadsInPlace(SupervisorRig.App() with { ExecMode = ExecMode.Cluster })).IsFalse();
    }

    [Test, Timeout(10_000)]
    public async Task AForkModeReloadStopsTheOldWorkerBeforeStartingTheNewOneAndSaysSo(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Advance(AppSupervisor.MaxStartGrace);
        await up;
        var old = rig.Host.Spawned[0];
        var lines = new List<string>();
        var reload = rig.Run(s => s.Reload("web", line => { lock (lines) lines.Add(line); }));
        await rig.Settle();
        await Assert.That(rig.Host.SignalsSentTo(old)).IsEquivalentTo([SignalNames.SIGINT]);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(1);
        await rig.Exit(old, ExitStatus.Exited(0));
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
        await rig.Advance(AppSupervisor.MaxStartGrace);
        var outcome = await reload;
        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        await Assert.That(outcome.Message!).Contains(ReloadStrategy.StopThenStartNote);
        var row = (await rig.List()).Single();
        await Assert.That(row.Pid).IsEqualTo(rig.Host.Spawned[1]);
        await Assert.That(row.Restarts).IsEqualTo(1);
    }

    [Test, Timeout(10_000)]
    public async Task UpFromAnotherShellEnvironmentRestartsNothingUnlessAskedToUpdateIt(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var up = rig.Up(SupervisorRig.App());
        await rig.Advance(AppSupervisor.MaxStartGrace);
        await up;
        var other = new Dictionary<string, string> { ["SHELL_ONLY"] = "1" };
        var again = await rig.Run(s => s.Up([SupervisorRig.App()], other, "/etc/ecosystem.toml", _ => { }));
        await Assert.That(again.ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(1);
        var updating = rig.Run(s => s.Up([SupervisorRig.App()], other, "/etc/ecosystem.toml", _ => { }, updateEnvironment: true));
        await rig.Settle();
        await rig.Exit(rig.Host.Spawned[0], ExitStatus.Exited(0));
        await rig.Advance(AppSupervisor.MaxStartGrace);
        await Assert.That((await updating).ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(2);
    }
}
