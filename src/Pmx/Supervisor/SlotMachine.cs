using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Pmx.Config;
using static Pmx.Supervisor.SlotEvent;
using static Pmx.Supervisor.SlotAction;

namespace Pmx.Supervisor;

/// <summary>A slot's machine state: its state and every worker it holds.</summary>
internal sealed record SlotView(SlotState State, Worker? Current, Worker? Incoming, ImmutableList<Worker> Draining,
    int UnstableExits, int Restarts)
{
    public static readonly SlotView Initial = new(SlotState.Stopped, null, null, [], 0, 0);

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

        return (slot.State, e) switch
        {
            (SlotState.Stopped or SlotState.Errored, StartRequested or ReloadRequested) => StartAfresh(slot, e),
            (SlotState.Stopped or SlotState.Errored, StopRequested) => Stay(slot with { State = SlotState.Stopped }),

            (SlotState.Backoff, StartRequested or ReloadRequested) => StartAfresh(slot, e, Cancel),
            (SlotState.Backoff, StopRequested) => Step(slot with { State = SlotState.Stopped }, Cancel),
            (SlotState.Backoff, BackoffElapsed) => Step(slot with { State = SlotState.Starting, Restarts = slot.Restarts + 1 }, SpawnWorker),

            (SlotState.Starting, Spawned s) when slot.Current is null => Stay(slot with { Current = s.Worker }),
            (SlotState.Starting, SpawnFailed f) => Step(slot with { State = SlotState.Errored },
                new RecordExit(f.Reason, TimeSpan.Zero)),
            (SlotState.Starting, Ready r) when r.Worker == slot.Current => Stay(slot with { State = SlotState.Online }),
            (SlotState.Starting, ReadyTimedOut t) when t.Worker == slot.Current =>
                Step(slot, new StopWorker(t.Worker, StopCause.MissedReadiness)),
            (SlotState.Starting or SlotState.Online, Exited x) when x.Worker == slot.Current => AfterCrash(slot with { Current = null }, x, spec),
            (SlotState.Starting or SlotState.Online, StartRequested) => Stay(slot),
            (SlotState.Starting or SlotState.Online, ReloadRequested) => Step(slot with { State = SlotState.Replacing }, SpawnWorker),
            (SlotState.Starting or SlotState.Online, StopRequested) =>
                Step(slot with { State = SlotState.Stopping }, new StopWorker(slot.Current!, StopCause.Requested)),
            (SlotState.Online, Ready r) when r.Worker == slot.Current => Stay(slot),

            (SlotState.Replacing, Spawned s) when slot.Incoming is null => Stay(slot with { Incoming = s.Worker }),
            (SlotState.Replacing, SpawnFailed f) => Settle(slot, new RecordExit(f.Reason, TimeSpan.Zero)),
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
        new(slot with
        {
            State = SlotState.Starting, UnstableExits = 0,
            Restarts = e is StartRequested { CountsAsRestart: true } ? slot.Restarts + 1 : slot.Restarts,
        }, [.. before, SpawnWorker]);

    static RecordExit Record(Exited x) => new(Describe(x.Worker), x.Uptime);

    /// <summary>What `list` shows as the last exit.</summary>
    public static string Describe(Worker worker) => (worker.StopCause == StopCause.MissedReadiness
        ? "no ready signal within listen_timeout"
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

    static SlotStep StopReplacing(SlotView slot)
    {
        var actions = new List<SlotAction> { new StopWorker(slot.Incoming!, StopCause.Requested) };
        var next = slot with { Incoming = null, Draining = slot.Draining.Add(slot.Incoming!) };
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
            $"(current {slot.Current?.Pid.ToString() ?? "none"}, incoming {slot.Incoming?.Pid.ToString() ?? "none"}, draining {slot.Draining.Count})");
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
