namespace Pmx.Control;

/// <summary>
/// An instance's state as users and scripts see it, in PM2's words (DESIGN §7). Written in
/// lower case ("online"); part of the public `pmx list --json` interface, so never renamed.
/// </summary>
internal enum ProcessStatus
{
    /// <summary>Spawned, not yet ready (wait_ready) or not yet past the start grace.</summary>
    Launching,
    Online,
    /// <summary>kill_signal sent; waiting for exit or kill_timeout.</summary>
    Stopping,
    Stopped,
    /// <summary>Gave up after max_restarts unstable exits, or failed to start.</summary>
    Errored,
}
