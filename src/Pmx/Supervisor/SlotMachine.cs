using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pmx.Config;
using static Pmx.Supervisor.SlotEvent;
using static Pmx.Supervisor.SlotAction;

namespace Pmx.Supervisor;

/// <summary>A slot's machine state: its state, every worker it holds, and every spawn it awaits.</summary>
/// <param name="Launching">The spawn in flight that will become Current (Starting) or Incoming (Replacing).</param>
/// <param name="Abandoned">Spawns in flight the slot no longer wants: a pid they bring is stopped at once.</param>
internal sealed record SlotView(SlotState State, Worker? Current, Worker? Incoming, ImmutableList<Worker> Draining,
    int UnstableExits, int Restarts, SpawnTicket? Launching, ImmutableList<SpawnTicket> Abandoned)
{
    public static readonly SlotView Initial = new(SlotState.Stopped, null, null, [], 0, 0, null, []);

    public IEnumerable<Worker> Workers =>
        Draining.Concat(Current is null ? [] : [Current]).Concat(Incoming is null ? [] : [Incoming]);
}

internal sealed record SlotStep(SlotView Next, IReadOnlyList<SlotAction> Actions);

/// <summary>
/// The one transition function of a slot (s6-supervise's shape): (view, event) → (view, actions).
/// Pure: it reads the spec and the workers it is given and changes nothing; the supervisor carries
/// the actions out and feeds the outcomes back as events. Races with the OS (a worker exiting
/// while pmx stops or replaces it) are ordinary rows; a row that is not here is a bug in pmx and
/// fails fast naming the state and the event.
/// </summary>
internal static class SlotMachine
{
    public static SlotStep Next(SlotView slot, SlotEvent e, AppSpec spec)
    {
        // A worker already stopped (reload, timeout, stop while replacing) only leaves the slot.
        if (e is Exited drained && slot.Draining.Contains(drained.Worker))
            return Stay(slot with { Draining = slot.Draining.Remove(drained.Worker) });
        if (e is Ready ready && slot.Draining.Contains(ready.Worker)) return Stay(slot);
        // A spawn abandoned while in flight (stop, delete, kill): its late worker is stopped at once.
        if (e is Spawned late && slot.Abandoned.Contains(late.Ticket))
            return Step(slot with { Abandoned = slot.Abandoned.Remove(late.Ticket), Draining = slot.Draining.Add(late.Worker) },
                new StopWorker(late.Worker, StopCause.Requested));
        if (e is SpawnFailed lost && slot.Abandoned.Contains(lost.Ticket)) return Stay(slot with { Abandoned = slot.Abandoned.Remove(lost.Ticket) });

        return (slot.State, e) switch
        {
            (SlotState.Stopped or SlotState.Errored, StartRequested or ReloadRequested) => StartAfresh(slot, e),
            (SlotState.Stopped or SlotState.Errored, StopRequested) => Stay(slot with { State = SlotState.Stopped }),

            (SlotState.Backoff, StartRequested or ReloadRequested) => StartAfresh(slot, e, Cancel),
            (SlotState.Backoff, StopRequested) => Step(slot with { State = SlotState.Stopped }, Cancel),
            (SlotState.Backoff, BackoffElapsed) => Spawn(slot with { State = SlotState.Starting, Restarts = slot.Restarts + 1 }),

            (SlotState.Starting, Spawned s) when s.Ticket == slot.Launching => Stay(slot with { Current = s.Worker, Launching = null }),
            (SlotState.Starting, SpawnFailed f) when f.Ticket == slot.Launching => Step(slot with { State = SlotState.Errored, Launching = null },
                new RecordExit(f.Reason, TimeSpan.Zero)),
            // No process yet (the spawn is in flight, maybe hung on a dead mount): nothing to wait for.
            (SlotState.Starting, StopRequested) when slot.Launching is { } inFlight =>
                Step(Abandon(slot, inFlight) with { State = SlotState.Stopped }, new CancelSpawn(inFlight)),
            // The spawn in flight was asked for with the spec of before the reload: start anew.
            (SlotState.Starting, ReloadRequested) when slot.Launching is { } inFlight =>
                Spawn(Abandon(slot, inFlight), new CancelSpawn(inFlight)),
            (SlotState.Starting, Ready r) when r.Worker == slot.Current => Stay(slot with { State = SlotState.Online }),
            (SlotState.Starting, ReadyTimedOut t) when t.Worker == slot.Current =>
                Step(slot, new StopWorker(t.Worker, StopCause.MissedReadiness)),
            (SlotState.Starting or SlotState.Online, Exited x) when x.Worker == slot.Current => AfterCrash(slot with { Current = null }, x, spec),
            (SlotState.Starting or SlotState.Online, StartRequested) => Stay(slot),
            (SlotState.Starting or SlotState.Online, ReloadRequested) => Spawn(slot with { State = SlotState.Replacing }),
            (SlotState.Starting or SlotState.Online, StopRequested) =>
                Step(slot with { State = SlotState.Stopping }, new StopWorker(slot.Current!, StopCause.Requested)),
            (SlotState.Online, Ready r) when r.Worker == slot.Current => Stay(slot),

            (SlotState.Replacing, Spawned s) when s.Ticket == slot.Launching => Stay(slot with { Incoming = s.Worker, Launching = null }),
            (SlotState.Replacing, SpawnFailed f) when f.Ticket == slot.Launching =>
                Settle(slot with { Launching = null }, new RecordExit(f.Reason, TimeSpan.Zero)),
            (SlotState.Replacing, Ready r) when r.Worker == slot.Current => Stay(slot),
            (SlotState.Replacing, Ready r) when r.Worker == slot.Incoming => Promote(slot),
            (SlotState.Replacing, ReadyTimedOut t) when t.Worker == slot.Incoming && slot.Current is null =>
                Step(slot with { State = SlotState.Starting, Current = t.Worker, Incoming = null },
                    new StopWorker(t.Worker, StopCause.MissedReadiness)),
            (SlotState.Replacing, ReadyTimedOut t) when t.Worker == slot.Incoming =>
                Settle(slot with { Incoming = null, Draining = slot.Draining.Add(t.Worker) },
                    new StopWorker(t.Worker, StopCause.MissedReadiness)),
            // The old worker died while its replacement starts: the replacement is its restart.
            (SlotState.Replacing, Exited x) when x.Worker == slot.Current =>
                Step(slot with { Current = null }, Record(x)),
            (SlotState.Replacing, Exited x) when x.Worker == slot.Incoming && slot.Current is null =>
                AfterCrash(slot with { Incoming = null }, x, spec),
            (SlotState.Replacing, Exited x) when x.Worker == slot.Incoming => Settle(slot with { Incoming = null }, Record(x)),
            (SlotState.Replacing, StartRequested or ReloadRequested) => Stay(slot),
            (SlotState.Replacing, StopRequested) when slot.Launching is { } inFlight =>
                StopReplacing(Abandon(slot, inFlight), new CancelSpawn(inFlight)),
            (SlotState.Replacing, StopRequested) => StopReplacing(slot),

            (SlotState.Stopping, Exited x) when x.Worker == slot.Current =>
                Step(slot with { State = SlotState.Stopped, Current = null }, Record(x)),
            (SlotState.Stopping, Ready r) when r.Worker == slot.Current => Stay(slot),
            (SlotState.Stopping, StopRequested) => Stay(slot),
            // The worker outlived SIGKILL (stuck in the kernel): keep it owned, start anew beside it.
            (SlotState.Stopping, StartRequested or ReloadRequested) =>
                StartAfresh(slot with { Current = null, Draining = slot.Draining.Add(slot.Current!) }, e),

            // A backoff timer that fired as it was being cancelled.
            (_, BackoffElapsed) => Stay(slot),
            _ => Impossible(slot, e),
        };
    }

    static SlotStep Stay(SlotView slot) => new(slot, []);
    static SlotStep Step(SlotView slot, params SlotAction[] actions) => new(slot, actions);

    static SlotStep StartAfresh(SlotView slot, SlotEvent e, params SlotAction[] before) =>
        Spawn(slot with
        {
            State = SlotState.Starting, UnstableExits = 0,
            Restarts = e is StartRequested { CountsAsRestart: true } ? slot.Restarts + 1 : slot.Restarts,
        }, before);

    /// <summary>Asks for a spawn with a new ticket; the slot awaits its outcome as Launching.</summary>
    static SlotStep Spawn(SlotView slot, params SlotAction[] before)
    {
        var ticket = new SpawnTicket();
        return new(slot with { Launching = ticket }, [.. before, new SlotAction.Spawn(ticket)]);
    }

    static SlotView Abandon(SlotView slot, SpawnTicket inFlight) =>
        slot with { Launching = null, Abandoned = slot.Abandoned.Add(inFlight) };

    static RecordExit Record(Exited x) => new(Describe(x.Worker), x.Uptime);

    /// <summary>
    /// What `list` shows as the last exit. A missed readiness keeps the worker's last status, which
    /// often says why (a Windows worker that never took its socket: it needs Pmx.Hosting), once
    /// the slot's next worker has replaced that status with its own.
    /// </summary>
    public static string Describe(Worker worker) => (worker.StopCause == StopCause.MissedReadiness
        ? "no ready signal within listen_timeout" + worker.StatusClause
        : worker.Exit?.Describe() ?? "exited")
        + (worker.AddressInUseLine is { } line ? "; " + AddressInUseHint.For(line) : "");

    /// <summary>The replacement is online: it becomes current, and only now does the old worker get kill_signal.</summary>
    static SlotStep Promote(SlotView slot)
    {
        var next = slot with
        {
            State = SlotState.Online, Current = slot.Incoming, Incoming = null,
            UnstableExits = 0, Restarts = slot.Restarts + 1,
        };
        if (slot.Current is not { } old) return Stay(next);
        return Step(next with { Draining = slot.Draining.Add(old) }, new StopWorker(old, StopCause.Replaced));
    }

    /// <summary>The replacement failed: the slot is again what its old worker is.</summary>
    static SlotStep Settle(SlotView slot, params SlotAction[] actions)
    {
        var state = slot.Current switch
        {
            null => SlotState.Errored,
            { State: WorkerState.Online } => SlotState.Online,
            _ => SlotState.Starting,
        };
        var stop = slot.Incoming is { } incoming ? new StopWorker(incoming, StopCause.FailedReplacement) : null;
        var next = slot with
        {
            State = state, Incoming = null,
            Draining = stop is null ? slot.Draining : slot.Draining.Add(stop.Worker),
        };
        return new(next, stop is null ? actions : [.. actions, stop]);
    }

    static SlotStep StopReplacing(SlotView slot, params SlotAction[] before)
    {
        var actions = new List<SlotAction>(before);
        var next = slot;
        if (slot.Incoming is { } incoming)
        {
            actions.Add(new StopWorker(incoming, StopCause.Requested));
            next = slot with { Incoming = null, Draining = slot.Draining.Add(incoming) };
        }
        if (slot.Current is null) return new(next with { State = SlotState.Stopped }, actions);
        actions.Add(new StopWorker(slot.Current, StopCause.Requested));
        return new(next with { State = SlotState.Stopping }, actions);
    }

    /// <summary>An exit pmx did not ask for (or a missed ready signal): RestartPolicy decides.</summary>
    static SlotStep AfterCrash(SlotView slot, Exited x, AppSpec spec)
    {
        var decision = RestartPolicy.Decide(spec, x.Uptime, slot.UnstableExits);
        var exit = Describe(x.Worker);
        var label = x.Worker.Label;
        var next = slot with { UnstableExits = decision.UnstableExits };
        var record = new RecordExit(exit, x.Uptime);
        return decision.Action switch
        {
            AfterExit.Restart => Step(next with { State = SlotState.Backoff }, record,
                new Report(LogLevel.Warning, $"{label} exited unexpectedly ({exit}); restarting in {HumanDuration.Format(decision.Delay)}"
                    + (decision.UnstableExits > 0 ? $" (unstable exit {decision.UnstableExits} of max_restarts {spec.MaxRestarts})" : "")),
                new ArmBackoff(decision.Delay)),
            AfterExit.Stop => Step(next with { State = SlotState.Stopped }, record,
                new Report(LogLevel.Information, $"{label} exited ({exit}); autorestart is off")),
            _ => Step(next with { State = SlotState.Errored }, record,
                new Report(LogLevel.Error, $"{label} exited ({exit}) {decision.UnstableExits} times in a row, each within min_uptime {HumanDuration.Format(spec.MinUptime)}; giving up (max_restarts {spec.MaxRestarts}). Fix the app, then run 'pmx restart {spec.Name}'")),
        };
    }

    static SlotStep Impossible(SlotView slot, SlotEvent e)
    {
        Environment.FailFast($"pmx internal error: slot event {Name(e)} is impossible in state {slot.State} " +
            $"(current {slot.Current?.Pid.ToString() ?? "none"}, incoming {slot.Incoming?.Pid.ToString() ?? "none"}, draining {slot.Draining.Count}, " +
            $"spawn in flight {(slot.Launching is null ? "no" : "yes")}, abandoned spawns {slot.Abandoned.Count})");
        return Stay(slot);
    }

    static string Name(SlotEvent e) => e switch
    {
        Spawned s => $"Spawned(pid {s.Worker.Pid})",
        Ready r => $"Ready(pid {r.Worker.Pid})",
        ReadyTimedOut t => $"ReadyTimedOut(pid {t.Worker.Pid})",
        Exited x => $"Exited(pid {x.Worker.Pid})",
        _ => e.GetType().Name,
    };
}
