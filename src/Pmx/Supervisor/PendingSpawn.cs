using Pmx.Processes;

namespace Pmx.Supervisor;

/// <summary>
/// A spawn between its Spawn action and its outcome on the loop (spawns run off the loop, see
/// SpawnRunner). Readiness the worker sends before the outcome reaches the loop (a fast worker, a
/// slow spawn thread) is held here until its Worker exists; bounded, as a worker may send anything.
/// </summary>
internal sealed class PendingSpawn(AppRuntime app, Slot slot, SpawnTicket ticket)
{
    const int HeldReadinessLimit = 16;
    readonly List<ReadinessMessage> _held = [];

    public AppRuntime App { get; } = app;
    public Slot Slot { get; } = slot;
    public SpawnTicket Ticket { get; } = ticket;
    public string Label { get; } = $"{app.Name}#{slot.Index}";
    public NotifyChannel? Notify { get; set; }
    public SpawnRequest? Request { get; set; }
    /// <summary>Null until the spawn's outcome reached the loop with a pid.</summary>
    public Worker? Worker { get; set; }
    public IReadOnlyList<ReadinessMessage> HeldReadiness => _held;

    public void Hold(ReadinessMessage message)
    {
        if (_held.Count < HeldReadinessLimit) _held.Add(message);
    }
}
