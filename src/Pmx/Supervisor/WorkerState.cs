namespace Pmx.Supervisor;

/// <summary>The life of one worker process (one generation of one instance slot).</summary>
internal enum WorkerState
{
    /// <summary>Spawned; not yet counted as serving (waiting for its ready signal or the start grace).</summary>
    Launching,
    Online,
    /// <summary>kill_signal sent; waiting for it to exit, SIGKILL after kill_timeout.</summary>
    Stopping,
    /// <summary>Reaped. Terminal.</summary>
    Exited,
}

internal enum WorkerEvent { BecameReady, StopRequested, Reaped }

/// <summary>
/// The one transition table of a worker. A transition that is not listed is a bug in pmx, not an
/// OS race: the races (a worker exiting while we signal it) are listed as ordinary transitions.
/// </summary>
internal static class WorkerTransitions
{
    public static WorkerState Next(WorkerState from, WorkerEvent on) => (from, on) switch
    {
        (WorkerState.Launching, WorkerEvent.BecameReady) => WorkerState.Online,
        (WorkerState.Launching, WorkerEvent.StopRequested) => WorkerState.Stopping,
        (WorkerState.Online, WorkerEvent.StopRequested) => WorkerState.Stopping,
        // A ready message that arrives after the stop began changes nothing: it is still stopping.
        (WorkerState.Stopping, WorkerEvent.BecameReady) => WorkerState.Stopping,
        (WorkerState.Online, WorkerEvent.BecameReady) => WorkerState.Online,
        (WorkerState.Stopping, WorkerEvent.StopRequested) => WorkerState.Stopping,
        (WorkerState.Launching or WorkerState.Online or WorkerState.Stopping, WorkerEvent.Reaped) => WorkerState.Exited,
        _ => Fail(from, on),
    };

    static WorkerState Fail(WorkerState from, WorkerEvent on)
    {
        Environment.FailFast($"pmx internal error: worker event {on} is impossible in state {from}");
        return from;
    }
}
