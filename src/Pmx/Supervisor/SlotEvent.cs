namespace Pmx.Supervisor;

/// <summary>Everything that can happen to a slot: control requests, worker life events, timers.</summary>
internal abstract record SlotEvent
{
    private protected SlotEvent() { }

    /// <summary>start, restart, up: run a worker if none serves (resets the unstable-exit count).</summary>
    public sealed record StartRequested(bool CountsAsRestart) : SlotEvent;
    /// <summary>reload and its triggers: replace the serving worker, new one online first.</summary>
    public sealed record ReloadRequested : SlotEvent;
    /// <summary>stop, delete, scale down, down: no worker afterwards, no restart.</summary>
    public sealed record StopRequested : SlotEvent;
    /// <summary>The Spawn action with this ticket produced this worker.</summary>
    public sealed record Spawned(Worker Worker, SpawnTicket Ticket) : SlotEvent;
    /// <summary>The Spawn action with this ticket started no process (bad script, socket in use, abandoned before it began…).</summary>
    public sealed record SpawnFailed(string Reason, SpawnTicket Ticket) : SlotEvent;
    /// <summary>A launching worker said READY=1, or survived the start grace.</summary>
    public sealed record Ready(Worker Worker) : SlotEvent;
    /// <summary>A launching worker sent no ready signal within listen_timeout.</summary>
    public sealed record ReadyTimedOut(Worker Worker) : SlotEvent;
    /// <summary>A worker of this slot was reaped (Worker.Exit holds the status).</summary>
    public sealed record Exited(Worker Worker, TimeSpan Uptime) : SlotEvent;
    /// <summary>The restart policy's delay is over.</summary>
    public sealed record BackoffElapsed : SlotEvent;

    public static readonly SlotEvent Start = new StartRequested(CountsAsRestart: false);
    /// <summary>The start half of `pmx restart`: PM2 counts it in the restart column.</summary>
    public static readonly SlotEvent Restart = new StartRequested(CountsAsRestart: true);
    public static readonly SlotEvent Reload = new ReloadRequested();
    public static readonly SlotEvent Stop = new StopRequested();
    public static readonly SlotEvent BackoffOver = new BackoffElapsed();
}
