using Microsoft.Extensions.Logging;

namespace Pmx.Supervisor;

// A worker that says EADDRINUSE on stderr: the daemon log and the slot's last exit name the port
// and the fix, so a fork-mode copy fighting over a port is not a bare "exited 1" crash loop.
internal sealed partial class AppSupervisor
{
    void OnAddressInUse(Worker worker, string line)
    {
        if (worker.AddressInUseLine != null) return;
        var recorded = SlotMachine.Describe(worker);
        worker.AddressInUseLine = line;
        worker.Slot.AddressInUseLine = line;
        _log.LogWarning("{Worker}: {Hint} (stderr: {Line})", worker.Label, AddressInUseHint.For(line), line);
        // The pump may deliver the line after the reaper reported the exit: amend the exit already recorded.
        if (worker.IsAlive || worker.Slot.LastExit != recorded) return;
        var amended = SlotMachine.Describe(worker);
        worker.Slot.LastExit = amended;
        var exits = worker.Slot.RecentExits.ToArray();
        if (exits.Length == 0 || exits[^1].Reason != recorded) return;
        exits[^1] = exits[^1] with { Reason = amended };
        worker.Slot.RecentExits.Clear();
        foreach (var exit in exits) worker.Slot.RecentExits.Enqueue(exit);
    }
}
