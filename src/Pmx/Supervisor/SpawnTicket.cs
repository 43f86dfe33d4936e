namespace Pmx.Supervisor;

/// <summary>
/// One spawn in flight: spawns run off the supervisor's loop (a stat or chdir on a hung mount may
/// never return), so their outcomes come back later and name the spawn they answer. Compared by
/// reference. A slot that no longer wants the outcome abandons the ticket; a spawn not yet begun
/// then never starts, and a pid that still comes back is stopped at once.
/// </summary>
internal sealed class SpawnTicket
{
    volatile bool _cancelled;

    /// <summary>Set on the loop, read by the spawn thread just before it spawns.</summary>
    public bool IsCancelled => _cancelled;

    public void Cancel() => _cancelled = true;
}
