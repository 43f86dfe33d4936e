using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

public class RestartPolicyTests
{
    static readonly Pmx.Config.AppSpec Spec = SupervisorRig.App() with { MaxRestarts = 3 };

    [Test]
    public async Task AnExitSoonerThanMinUptimeIsUnstableAndRestartsAfterTheCrashLoopFloor()
    {
        var decision = RestartPolicy.Decide(Spec, TimeSpan.FromMilliseconds(10), unstableExitsBefore: 0);
        await Assert.That(decision.Action).IsEqualTo(AfterExit.Restart);
        await Assert.That(decision.UnstableExits).IsEqualTo(1);
        await Assert.That(decision.Delay).IsEqualTo(RestartPolicy.CrashLoopFloor);
    }

    [Test]
    public async Task MoreUnstableExitsThanMaxRestartsMeansErrored()
    {
        var decision = RestartPolicy.Decide(Spec, TimeSpan.Zero, unstableExitsBefore: 3);
        await Assert.That(decision.Action).IsEqualTo(AfterExit.Error);
        await Assert.That(decision.UnstableExits).IsEqualTo(4);
    }

    [Test]
    public async Task AStableExitResetsTheUnstableCount()
    {
        var decision = RestartPolicy.Decide(Spec, TimeSpan.FromMinutes(5), unstableExitsBefore: 3);
        await Assert.That(decision.Action).IsEqualTo(AfterExit.Restart);
        await Assert.That(decision.UnstableExits).IsEqualTo(0);
        await Assert.That(decision.Delay).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    public async Task ExponentialBackoffDoublesPerUnstableExitAndIsCappedAt15Seconds()
    {
        var spec = Spec with { ExpBackoffRestartDelay = TimeSpan.FromMilliseconds(100), MaxRestarts = 100 };
        var delays = new List<TimeSpan>();
        for (var before = 0; before < 10; before++)
            delays.Add(RestartPolicy.Decide(spec, TimeSpan.Zero, before).Delay);
        await Assert.That(delays[0]).IsEqualTo(TimeSpan.FromMilliseconds(100));
        await Assert.That(delays[1]).IsEqualTo(TimeSpan.FromMilliseconds(200));
        await Assert.That(delays[3]).IsEqualTo(TimeSpan.FromMilliseconds(800));
        await Assert.That(delays[9]).IsEqualTo(RestartPolicy.BackoffCap);
    }

    [Test]
    public async Task RestartDelayAppliesToStableExits()
    {
        var spec = Spec with { RestartDelay = TimeSpan.FromSeconds(2) };
        var decision = RestartPolicy.Decide(spec, TimeSpan.FromMinutes(1), 0);
        await Assert.That(decision.Delay).IsEqualTo(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task WithAutorestartOffAnExitStopsTheSlot()
    {
        var decision = RestartPolicy.Decide(Spec with { Autorestart = false }, TimeSpan.Zero, 0);
        await Assert.That(decision.Action).IsEqualTo(AfterExit.Stop);
    }
}
