namespace Pmx.Supervisor;

/// <summary>Why pmx stopped a worker: decides what its exit means and what `describe` says.</summary>
internal enum StopCause
{
    /// <summary>stop, delete, scale down, down.</summary>
    Requested,
    /// <summary>Its replacement is online (reload).</summary>
    Replaced,
    /// <summary>No ready signal within listen_timeout: its exit counts as a crash.</summary>
    MissedReadiness,
    /// <summary>A replacement that did not come online.</summary>
    FailedReplacement,
}

/// <summary>What the supervisor must do after a transition. The slot machine decides; the supervisor only acts.</summary>
internal abstract record SlotAction
{
    private protected SlotAction() { }

    /// <summary>Start a process for the slot, off the loop; the outcome comes back as Spawned or SpawnFailed with this ticket.</summary>
    public sealed record Spawn(SpawnTicket Ticket) : SlotAction;
    /// <summary>The slot no longer wants this spawn's outcome: do not begin it if it has not begun.</summary>
    public sealed record CancelSpawn(SpawnTicket Ticket) : SlotAction;
    /// <summary>The stop policy: kill_signal to the group, SIGKILL after kill_timeout.</summary>
    public sealed record StopWorker(Worker Worker, StopCause Cause) : SlotAction;
    public sealed record ArmBackoff(TimeSpan Delay) : SlotAction;
    public sealed record CancelBackoff : SlotAction;
    /// <summary>Remember an exit for `list` (last exit) and `describe` (recent exits).</summary>
    public sealed record RecordExit(string Description, TimeSpan Uptime) : SlotAction;
    /// <summary>A fact for the daemon log.</summary>
    public sealed record Report(Microsoft.Extensions.Logging.LogLevel Level, string Message) : SlotAction;

    public static readonly SlotAction Cancel = new CancelBackoff();
}
