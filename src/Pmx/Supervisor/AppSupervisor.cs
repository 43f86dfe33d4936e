using Microsoft.Extensions.Logging;
using Pmx.Processes;
using Pmx.Schedules;

namespace Pmx.Supervisor;

// Overview
// The supervisor keeps every app's slots filled with live workers. All of its state lives on the
// SupervisorLoop thread (see SupervisorLoop.cs). A slot's life is SlotMachine's transition table:
// every OS event (spawn outcome, readiness, exit), control request and timer becomes a SlotEvent,
// Dispatch runs it through the table and carries out the actions it returns. Nothing else changes
// a slot, so a worker no slot owns cannot exist: workers are created only by a Spawn action and
// leave a slot only when they are reaped.
//
// Workers are found by pid: a pid cannot be reused before pmx reaps it, and pmx removes the entry
// in the same step as it reaps, so a recycled pid can never be mistaken for an old worker.
//
// Spawns run off the loop (SpawnRunner): a stat or chdir on a hung mount may never return. The
// slot stays Starting (or Replacing) with the spawn's ticket while it is in flight; the outcome
// comes back as Spawned or SpawnFailed with that ticket. A slot stopped meanwhile abandons the
// ticket, and the worker it brings, if it ever does, is stopped at once.
//
// The control commands (start, stop, reload, scale…) are async operations, serialised per app by
// its OperationQueue. They send events and wait for slots to reach a state (Slot.Until); each
// re-checks when it runs that its app is still supervised (a delete may have run before it).

/// <summary>Keeps apps running: spawn, readiness, exits, restarts, graceful stops.</summary>
internal sealed partial class AppSupervisor
{
    /// <summary>Without wait_ready, a worker alive this long after spawn counts as online.</summary>
    public static readonly TimeSpan MaxStartGrace = TimeSpan.FromMilliseconds(500);

    readonly IProcessHost _host;
    readonly IWorkerPlumbing _plumbing;
    readonly TimeProvider _time;
    readonly ILogger _log;
    readonly SupervisorLoop _loop;
    readonly Dictionary<string, AppRuntime> _apps = new(StringComparer.Ordinal);
    readonly Dictionary<int, Worker> _workersByPid = [];
    /// <summary>Exits reaped before their spawn's outcome reached the loop (see AppSupervisor.Workers).</summary>
    readonly Dictionary<int, ExitStatus> _exitsBeforeSpawnReturned = [];
    int _spawnsInFlight;
    readonly Queue<(AppRuntime App, Slot Slot, SlotEvent Event)> _events = new();
    bool _isDispatching;
    int _nextSlotId;

    public AppSupervisor(IProcessHost host, IWorkerPlumbing plumbing, TimeProvider time, ILogger log, SupervisorLoop loop)
    {
        _host = host;
        _plumbing = plumbing;
        _time = time;
        _log = log;
        _loop = loop;
    }

    public IEnumerable<AppRuntime> Apps => _apps.Values;
    public bool KillWhenParentDies { get; init; }

    /// <summary>Every live worker pmx has spawned (for tests of the "no ghost worker" invariant).</summary>
    public IReadOnlyCollection<int> LivePids => _workersByPid.Keys;

    /// <summary>Spawns handed to the spawn threads whose outcome has not reached the loop yet.</summary>
    public int SpawnsInFlight => _spawnsInFlight;

    /// <summary>
    /// Runs an event through the slot's table and carries out the actions. Events raised while
    /// acting (a spawn's outcome) queue behind, so each transition sees the state the last left.
    /// </summary>
    void Dispatch(AppRuntime app, Slot slot, SlotEvent e)
    {
        _events.Enqueue((app, slot, e));
        if (_isDispatching) return;
        _isDispatching = true;
        try
        {
            while (_events.TryDequeue(out var next))
            {
                var step = SlotMachine.Next(next.Slot.View, next.Event, next.App.Spec);
                next.Slot.Apply(step.Next);
                foreach (var action in step.Actions) Execute(next.App, next.Slot, action);
                CloseSocketOfErroredSlot(next.App, next.Slot);
            }
        }
        finally { _isDispatching = false; }
        StateChanged?.Invoke();
    }

    void Execute(AppRuntime app, Slot slot, SlotAction action)
    {
        switch (action)
        {
            case SlotAction.Spawn spawn:
                BeginSpawn(app, slot, spawn.Ticket);
                break;
            case SlotAction.CancelSpawn cancel:
                cancel.Ticket.Cancel();
                break;
            case SlotAction.StopWorker stop:
                stop.Worker.StopReport ??= StopWorker(app, stop.Worker, stop.Cause);
                break;
            case SlotAction.ArmBackoff backoff:
                slot.CancelBackoff();
                LongTimer? timer = null;
                timer = LongTimer.Start(_time, backoff.Delay, () => _loop.Post(() =>
                {
                    if (slot.BackoffTimer != timer) return; // cancelled, or replaced by a newer backoff
                    slot.CancelBackoff();
                    Dispatch(app, slot, SlotEvent.BackoffOver);
                }));
                slot.BackoffTimer = timer;
                break;
            case SlotAction.CancelBackoff:
                slot.CancelBackoff();
                break;
            case SlotAction.RecordExit exit:
                RecordExit(slot, exit.Description, exit.Uptime);
                break;
            case SlotAction.Report report:
                _log.Log(report.Level, "{Message}", report.Message);
                break;
        }
    }

    void RecordExit(Slot slot, string description, TimeSpan uptime)
    {
        slot.LastExit = description;
        slot.RecentExits.Enqueue(new Control.ExitRecord(_time.GetUtcNow(), description, uptime));
        while (slot.RecentExits.Count > 5) slot.RecentExits.Dequeue();
    }

    /// <summary>Still supervised: a delete that ran first has not forgotten it.</summary>
    bool IsSupervised(AppRuntime app) => _apps.TryGetValue(app.Name, out var current) && current == app;

    /// <summary>Queues an operation on the app; when its turn comes, it runs only if the app still exists.</summary>
    Task<CommandOutcome> Enqueue(AppRuntime app, Func<Task<CommandOutcome>> operation) =>
        app.Operations.Enqueue(() => IsSupervised(app)
            ? operation()
            : Task.FromResult(CommandOutcome.Failed($"{app.Name} was deleted before this command's turn came; nothing was started")));

    /// <summary>A slot for instance <paramref name="index"/> with the next daemon-wide id.</summary>
    Slot NewSlot(int index) => new(index, _nextSlotId++);

    static string Plural(int n, string noun) => English.Count(n, noun);
}
