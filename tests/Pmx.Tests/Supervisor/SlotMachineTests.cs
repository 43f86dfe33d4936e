using Pmx.Config;
using Pmx.Processes;
using Pmx.Supervisor;
using static Pmx.Supervisor.SlotEvent;

namespace Pmx.Tests.Supervisor;

/// <summary>The slot transition table, driven directly: no loop, no timers, no processes.</summary>
public class SlotMachineTests
{
    static readonly AppSpec Spec = SupervisorRig.ClusterApp();
    static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    readonly AppRuntime _app = new(Spec, new Dictionary<string, string>());
    readonly Slot _slot = new(0, id: 0);
    int _nextPid = 100;

    Worker NewWorker() => new(_app, _slot, _nextPid++, Now);

    /// <summary>Expected actions, compared in order and by reference to the workers (a worker's object graph is cyclic).</summary>
    static SlotAction[] Actions(params SlotAction[] actions) => actions;

    static SlotStep Next(SlotView view, SlotEvent e) => SlotMachine.Next(view, e, Spec);

    /// <summary>Start, spawn, ready: an Online slot with one worker.</summary>
    SlotView Online(out Worker worker)
    {
        var step = Next(SlotView.Initial, Start);
        worker = NewWorker();
        worker.MarkReady(Now); // the supervisor marks the worker, then tells the slot
        return Next(Next(step.Next, new Spawned(worker)).Next, new Ready(worker)).Next;
    }

    [Test]
    public async Task AStartFromStoppedSpawnsAndTheSlotIsOnlineWhenTheWorkerIsReady()
    {
        var start = Next(SlotView.Initial, Start);
        await Assert.That(start.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(start.Actions.SequenceEqual([SlotAction.SpawnWorker])).IsTrue();
        var worker = NewWorker();
        var spawned = Next(start.Next, new Spawned(worker));
        await Assert.That(spawned.Next.Current).IsEqualTo(worker);
        var ready = Next(spawned.Next, new Ready(worker));
        await Assert.That(ready.Next.State).IsEqualTo(SlotState.Online);
        await Assert.That(ready.Actions).IsEmpty();
    }

    [Test]
    public async Task AReloadStopsTheOldWorkerOnlyOnceTheReplacementIsReady()
    {
        var view = Online(out var old);
        var reload = Next(view, Reload);
        await Assert.That(reload.Next.State).IsEqualTo(SlotState.Replacing);
        await Assert.That(reload.Actions.SequenceEqual([SlotAction.SpawnWorker])).IsTrue();
        var incoming = NewWorker();
        var spawned = Next(reload.Next, new Spawned(incoming));
        await Assert.That(spawned.Actions).IsEmpty();
        var promoted = Next(spawned.Next, new Ready(incoming));
        await Assert.That(promoted.Next.State).IsEqualTo(SlotState.Online);
        await Assert.That(promoted.Next.Current).IsEqualTo(incoming);
        await Assert.That(promoted.Next.Draining.SequenceEqual([old])).IsTrue();
        await Assert.That(promoted.Actions.SequenceEqual(Actions(new SlotAction.StopWorker(old, StopCause.Replaced)))).IsTrue();
        var drained = Next(promoted.Next, new Exited(old, TimeSpan.FromMinutes(1)));
        await Assert.That(drained.Next.Draining).IsEmpty();
        await Assert.That(drained.Actions).IsEmpty();
    }

    [Test]
    public async Task AnOldWorkerCrashingWhileItsReplacementStartsSpawnsNoThirdWorker()
    {
        var view = Online(out var old);
        var incoming = NewWorker();
        var replacing = Next(Next(view, Reload).Next, new Spawned(incoming)).Next;
        var crashed = Next(replacing, new Exited(old, TimeSpan.FromMinutes(1)));
        await Assert.That(crashed.Next.State).IsEqualTo(SlotState.Replacing);
        await Assert.That(crashed.Next.Current).IsNull();
        await Assert.That(crashed.Actions.OfType<SlotAction.Spawn>()).IsEmpty();
        await Assert.That(crashed.Actions.OfType<SlotAction.ArmBackoff>()).IsEmpty();
        var ready = Next(crashed.Next, new Ready(incoming));
        await Assert.That(ready.Next.State).IsEqualTo(SlotState.Online);
        await Assert.That(ready.Next.Workers.SequenceEqual([incoming])).IsTrue();
        await Assert.That(ready.Actions).IsEmpty();
    }

    [Test]
    public async Task AReplacementThatMissesItsReadyDeadlineIsStoppedAndTheOldWorkerKeepsServing()
    {
        var view = Online(out var old);
        var incoming = NewWorker();
        var replacing = Next(Next(view, Reload).Next, new Spawned(incoming)).Next;
        var timedOut = Next(replacing, new ReadyTimedOut(incoming));
        await Assert.That(timedOut.Next.State).IsEqualTo(SlotState.Online);
        await Assert.That(timedOut.Next.Current).IsEqualTo(old);
        await Assert.That(timedOut.Next.Draining.SequenceEqual([incoming])).IsTrue();
        await Assert.That(timedOut.Actions.SequenceEqual(Actions(new SlotAction.StopWorker(incoming, StopCause.MissedReadiness)))).IsTrue();
    }

    [Test]
    public async Task AStopWhileReplacingStopsBothWorkersAndRestartsNothing()
    {
        var view = Online(out var old);
        var incoming = NewWorker();
        var replacing = Next(Next(view, Reload).Next, new Spawned(incoming)).Next;
        var stop = Next(replacing, SlotEvent.Stop);
        await Assert.That(stop.Next.State).IsEqualTo(SlotState.Stopping);
        await Assert.That(stop.Actions.SequenceEqual(Actions(
            new SlotAction.StopWorker(incoming, StopCause.Requested), new SlotAction.StopWorker(old, StopCause.Requested)))).IsTrue();
        var afterIncoming = Next(stop.Next, new Exited(incoming, TimeSpan.FromSeconds(1)));
        var afterOld = Next(afterIncoming.Next, new Exited(old, TimeSpan.FromSeconds(1)));
        await Assert.That(afterOld.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(afterOld.Next.Workers).IsEmpty();
        await Assert.That(afterOld.Actions.OfType<SlotAction.Spawn>()).IsEmpty();
    }

    [Test]
    public async Task ACrashWaitsOutTheBackoffThenSpawnsAgainAndCountsARestart()
    {
        var view = Online(out var worker);
        worker.MarkReaped(ExitStatus.Exited(3));
        var crashed = Next(view, new Exited(worker, TimeSpan.FromMinutes(5)));
        await Assert.That(crashed.Next.State).IsEqualTo(SlotState.Backoff);
        await Assert.That(crashed.Next.Current).IsNull();
        await Assert.That(crashed.Actions.OfType<SlotAction.ArmBackoff>().Single().Delay).IsEqualTo(Spec.RestartDelay);
        await Assert.That(crashed.Actions.OfType<SlotAction.RecordExit>().Single().Description).IsEqualTo("exited 3");
        var elapsed = Next(crashed.Next, BackoffOver);
        await Assert.That(elapsed.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(elapsed.Next.Restarts).IsEqualTo(1);
        await Assert.That(elapsed.Actions.SequenceEqual([SlotAction.SpawnWorker])).IsTrue();
    }

    [Test]
    public async Task AStopDuringBackoffCancelsTheRestart()
    {
        var view = Online(out var worker);
        var backoff = Next(view, new Exited(worker, TimeSpan.FromMinutes(5))).Next;
        var stop = Next(backoff, SlotEvent.Stop);
        await Assert.That(stop.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(stop.Actions.SequenceEqual([SlotAction.Cancel])).IsTrue();
        var late = Next(stop.Next, BackoffOver);
        await Assert.That(late.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(late.Actions).IsEmpty();
    }

    [Test]
    public async Task AWorkerThatCannotBeSpawnedLeavesTheSlotErroredWithTheReason()
    {
        var failed = Next(Next(SlotView.Initial, Start).Next, new SpawnFailed("no such file"));
        await Assert.That(failed.Next.State).IsEqualTo(SlotState.Errored);
        await Assert.That(failed.Actions.SequenceEqual(Actions(new SlotAction.RecordExit("no such file", TimeSpan.Zero)))).IsTrue();
    }
}
