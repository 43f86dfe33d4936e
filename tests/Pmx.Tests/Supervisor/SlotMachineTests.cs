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

    /// <summary>The outcome of the spawn a step asked for: this worker.</summary>
    static Spawned Spawned(SlotStep step, Worker worker) => new(worker, TicketOf(step));

    static SpawnTicket TicketOf(SlotStep step) => step.Actions.OfType<SlotAction.Spawn>().Single().Ticket;

    /// <summary>A step's actions are exactly one Spawn, for the spawn the slot now awaits.</summary>
    static bool IsJustASpawn(SlotStep step) =>
        step.Actions.Count == 1 && step.Actions[0] is SlotAction.Spawn spawn && spawn.Ticket == step.Next.Launching;

    /// <summary>Start, spawn, ready: an Online slot with one worker.</summary>
    SlotView Online(out Worker worker)
    {
        var step = Next(SlotView.Initial, Start);
        worker = NewWorker();
        worker.MarkReady(Now); // the supervisor marks the worker, then tells the slot
        return Next(Next(step.Next, Spawned(step, worker)).Next, new Ready(worker)).Next;
    }

    [Test]
    public async Task AStartFromStoppedSpawnsAndTheSlotIsOnlineWhenTheWorkerIsReady()
    {
        var start = Next(SlotView.Initial, Start);
        await Assert.That(start.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(IsJustASpawn(start)).IsTrue();
        var worker = NewWorker();
        var spawned = Next(start.Next, Spawned(start, worker));
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
        await Assert.That(IsJustASpawn(reload)).IsTrue();
        var incoming = NewWorker();
        var spawned = Next(reload.Next, Spawned(reload, incoming));
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
        var reload = Next(view, Reload);
        var replacing = Next(reload.Next, Spawned(reload, incoming)).Next;
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
        var reload = Next(view, Reload);
        var replacing = Next(reload.Next, Spawned(reload, incoming)).Next;
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
        var reload = Next(view, Reload);
        var replacing = Next(reload.Next, Spawned(reload, incoming)).Next;
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
        await Assert.That(IsJustASpawn(elapsed)).IsTrue();
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
        var start = Next(SlotView.Initial, Start);
        var failed = Next(start.Next, new SpawnFailed("no such file", TicketOf(start)));
        await Assert.That(failed.Next.State).IsEqualTo(SlotState.Errored);
        await Assert.That(failed.Actions.SequenceEqual(Actions(new SlotAction.RecordExit("no such file", TimeSpan.Zero)))).IsTrue();
    }

    // Spawns run off the loop (issue 11): the slot awaits the outcome of the spawn it asked for.

    [Test]
    public async Task AStopWhileTheSpawnIsInFlightStopsTheSlotAtOnceAndCancelsTheSpawn()
    {
        var start = Next(SlotView.Initial, Start);
        var ticket = TicketOf(start);

        var stop = Next(start.Next, SlotEvent.Stop);

        await Assert.That(stop.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(stop.Next.Launching).IsNull();
        await Assert.That(stop.Next.Abandoned.SequenceEqual([ticket])).IsTrue();
        await Assert.That(stop.Actions.SequenceEqual(Actions(new SlotAction.CancelSpawn(ticket)))).IsTrue();
    }

    [Test]
    public async Task AWorkerThatArrivesForAnAbandonedSpawnIsStoppedAtOnceAndLeavesTheSlotStopped()
    {
        var start = Next(SlotView.Initial, Start);
        var stopped = Next(start.Next, SlotEvent.Stop).Next;
        var late = NewWorker();

        var arrived = Next(stopped, Spawned(start, late));

        await Assert.That(arrived.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(arrived.Next.Abandoned).IsEmpty();
        await Assert.That(arrived.Next.Draining.SequenceEqual([late])).IsTrue();
        await Assert.That(arrived.Actions.SequenceEqual(Actions(new SlotAction.StopWorker(late, StopCause.Requested)))).IsTrue();
        var gone = Next(arrived.Next, new Exited(late, TimeSpan.FromSeconds(1)));
        await Assert.That(gone.Next.State).IsEqualTo(SlotState.Stopped);
        await Assert.That(gone.Next.Workers).IsEmpty();
        await Assert.That(gone.Actions).IsEmpty();
    }

    [Test]
    public async Task AStartAfterAStopOfAnInFlightSpawnTakesOnlyItsOwnSpawnsWorker()
    {
        var first = Next(SlotView.Initial, Start);
        var second = Next(Next(first.Next, SlotEvent.Stop).Next, Start);
        await Assert.That(TicketOf(second)).IsNotEqualTo(TicketOf(first));
        var stale = NewWorker();
        var fresh = NewWorker();

        var staleArrived = Next(second.Next, Spawned(first, stale));
        await Assert.That(staleArrived.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(staleArrived.Next.Current).IsNull();
        await Assert.That(staleArrived.Actions.SequenceEqual(Actions(new SlotAction.StopWorker(stale, StopCause.Requested)))).IsTrue();
        var freshArrived = Next(staleArrived.Next, Spawned(second, fresh));

        await Assert.That(freshArrived.Next.Current).IsEqualTo(fresh);
        await Assert.That(freshArrived.Next.Launching).IsNull();
        await Assert.That(freshArrived.Next.Draining.SequenceEqual([stale])).IsTrue();
    }

    [Test]
    public async Task AnAbandonedSpawnThatFailsChangesNothingForTheSpawnInFlightAfterIt()
    {
        var first = Next(SlotView.Initial, Start);
        var second = Next(Next(first.Next, SlotEvent.Stop).Next, Start);

        var failed = Next(second.Next, new SpawnFailed("cwd on a hung mount", TicketOf(first)));

        await Assert.That(failed.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(failed.Next.Launching).IsEqualTo(TicketOf(second));
        await Assert.That(failed.Next.Abandoned).IsEmpty();
        await Assert.That(failed.Actions).IsEmpty();
    }

    [Test]
    public async Task AStopWhileAReplacementIsSpawningAbandonsItAndStopsTheOldWorker()
    {
        var view = Online(out var old);
        var reload = Next(view, Reload);

        var stop = Next(reload.Next, SlotEvent.Stop);

        await Assert.That(stop.Next.State).IsEqualTo(SlotState.Stopping);
        await Assert.That(stop.Next.Abandoned.SequenceEqual([TicketOf(reload)])).IsTrue();
        await Assert.That(stop.Actions.SequenceEqual(Actions(
            new SlotAction.CancelSpawn(TicketOf(reload)), new SlotAction.StopWorker(old, StopCause.Requested)))).IsTrue();
    }

    [Test]
    public async Task AReloadWhileTheFirstSpawnIsInFlightAbandonsItAndSpawnsWithTheNewSpec()
    {
        var start = Next(SlotView.Initial, Start);

        var reload = Next(start.Next, Reload);

        await Assert.That(reload.Next.State).IsEqualTo(SlotState.Starting);
        await Assert.That(reload.Next.Abandoned.SequenceEqual([TicketOf(start)])).IsTrue();
        await Assert.That(reload.Actions.Count).IsEqualTo(2);
        await Assert.That(reload.Actions[0]).IsEqualTo(new SlotAction.CancelSpawn(TicketOf(start)));
        await Assert.That(reload.Actions[1] is SlotAction.Spawn spawn && spawn.Ticket == reload.Next.Launching).IsTrue();
    }

    [Test]
    public async Task AReplacementSpawnThatFailsLeavesTheOldWorkerServing()
    {
        var view = Online(out var old);
        var reload = Next(view, Reload);

        var failed = Next(reload.Next, new SpawnFailed("no such file", TicketOf(reload)));

        await Assert.That(failed.Next.State).IsEqualTo(SlotState.Online);
        await Assert.That(failed.Next.Current).IsEqualTo(old);
        await Assert.That(failed.Next.Launching).IsNull();
        await Assert.That(failed.Actions.SequenceEqual(Actions(new SlotAction.RecordExit("no such file", TimeSpan.Zero)))).IsTrue();
    }

    [Test]
    public async Task AMissedReadinessKeepsTheWorkersLastStatusInTheLastExit()
    {
        var silent = NewWorker();
        silent.StatusText = "waiting for the app to take its listening socket";
        silent.MarkStopping(StopCause.MissedReadiness);

        await Assert.That(SlotMachine.Describe(silent))
            .IsEqualTo("no ready signal within listen_timeout; its status: waiting for the app to take its listening socket");
        var quiet = NewWorker();
        quiet.MarkStopping(StopCause.MissedReadiness);
        await Assert.That(SlotMachine.Describe(quiet)).IsEqualTo("no ready signal within listen_timeout");
    }
}
