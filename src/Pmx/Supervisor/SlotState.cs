namespace Pmx.Supervisor;

/// <summary>
/// What one instance slot is doing. Each state says which workers the slot holds (SlotView), so a
/// worker the slot does not know about cannot exist:
/// Stopped, Errored, Backoff: no current, no incoming. Starting, Stopping: a current worker.
/// Online: an online current worker. Replacing: an incoming worker, and the old current one unless
/// it exited meanwhile. Any state may also hold draining workers (stopped, not yet reaped).
/// </summary>
internal enum SlotState
{
    /// <summary>Stopped by the user, or exited with autorestart off.</summary>
    Stopped,
    /// <summary>A worker was spawned and is not online yet (ready signal or start grace pending).</summary>
    Starting,
    Online,
    /// <summary>The worker exited on its own; a restart is due after the restart policy's delay.</summary>
    Backoff,
    /// <summary>A reload started a replacement; the old worker serves until the replacement is online.</summary>
    Replacing,
    /// <summary>kill_signal sent to the current worker on request; waiting for its exit.</summary>
    Stopping,
    /// <summary>Gave up after max_restarts unstable exits, or could not be spawned.</summary>
    Errored,
}
