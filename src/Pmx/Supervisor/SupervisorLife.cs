namespace Pmx.Supervisor;

/// <summary>
/// Supervising until `pmx kill`; then Killed for the little while the daemon takes to exit. A start
/// that yields the loop between batches (see StartSlots) must not spawn past a kill it let in.
/// </summary>
internal enum SupervisorLife { Supervising, Killed }
