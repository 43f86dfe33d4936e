using Pmx.Config;

namespace Pmx.Supervisor;

// Scaling (DESIGN §5): new slots start like a start; removed slots (highest first) stop through
// the graceful stop path. With per-instance sockets, new connections are steered away from a
// removed slot's socket before it closes.
internal sealed partial class AppSupervisor
{
    public Task<CommandOutcome> Scale(string name, string countText, Action<string> progress)
    {
        if (!_apps.TryGetValue(name, out var app)) return Task.FromResult(UnknownApp(name));
        if (!TryParseScale(countText, app.Slots.Count, out var target))
            return Task.FromResult(new CommandOutcome(2, $"cannot scale {name} to '{countText}': expected N, +N or -N with a result of at least 0"));
        if (target > AppLimits.MaxInstances)
            return Task.FromResult(new CommandOutcome(2, $"cannot scale {name} to {target}: pmx runs at most {AppLimits.MaxInstances} instances of one app"));
        return Enqueue(app, () => ScaleTo(app, target, progress));
    }

    internal static bool TryParseScale(string text, int current, out int target)
    {
        target = 0;
        var t = text.Trim();
        if (t.Length == 0 || !int.TryParse(t.TrimStart('+', '-'), out var n) || n < 0) return false;
        target = t[0] switch { '+' => current + n, '-' => current - n, _ => n };
        return target >= 0;
    }

    static bool UsesPerInstanceSockets(AppRuntime app) =>
        app.Spec.ExecMode == ExecMode.Cluster && app.Spec.ReusePort == ReusePortMode.PerInstance && app.Spec.Port != null;

    /// <summary>How long a handshake that the kernel already routed to a removed socket may take to land in its queue.</summary>
    static readonly TimeSpan HandshakeGrace = TimeSpan.FromMilliseconds(300);
    static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Closing a SO_REUSEPORT socket resets every connection queued on it (unless tcp_migrate_req is
    /// on). So before a removed slot's socket closes: steer new connections to the kept sockets
    /// (classic BPF on the group), let handshakes in flight land, and let the slot's still-running
    /// worker accept what is queued.
    /// </summary>
    async Task SteerAwayFrom(AppRuntime app, IReadOnlyList<Slot> removed, Action<string> progress)
    {
        // By socket, not by slot index: after an errored slot's socket was replaced, slot order is not group order.
        try { app.Reuseport.SteerTo(app.Slots.Except(removed).Select(s => s.OwnSocket).OfType<IListenSocket>()); }
        catch (ListenException e) { progress($"{app.Name}: {e.Message}; new connections may still reach removed instances"); }
        await Task.Delay(HandshakeGrace, _time);
        var waited = _time.GetUtcNow();
        while (removed.Any(slot => slot.OwnSocket is { AcceptQueueLength: > 0 }) && _time.GetUtcNow() - waited < DrainDeadline)
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time);
        var left = removed.Sum(slot => slot.OwnSocket?.AcceptQueueLength ?? 0);
        if (left > 0) progress($"{app.Name}: {left} connections still queued on removed sockets after {HumanDuration.Format(DrainDeadline)}; closing anyway");
    }

    async Task<CommandOutcome> ScaleTo(AppRuntime app, int target, Action<string> progress)
    {
        var from = app.Slots.Count;
        app.Spec = app.Spec with { Instances = target };
        if (target > from)
        {
            var added = Enumerable.Range(from, target - from).Select(NewSlot).ToList();
            app.Slots.AddRange(added);
            var outcome = await StartSlots(app, added, progress, SlotEvent.Start);
            if (outcome.ExitCode != 0) return CommandOutcome.Failed($"scale {app.Name} to {target}: {outcome.Message}");
        }
        else if (target < from)
        {
            // Highest instances go first, each through the graceful stop path; the shared socket stays open.
            var removed = app.Slots.Where(s => s.Index >= target).OrderByDescending(s => s.Index).ToList();
            if (UsesPerInstanceSockets(app) && target > 0) await SteerAwayFrom(app, removed, progress);
            foreach (var message in await StopSlots(app, removed)) progress(message);
            foreach (var slot in removed)
            {
                app.Slots.Remove(slot);
                if (slot.OwnSocket is { } socket) app.Reuseport.Close(socket);
                slot.OwnSocket = null;
            }
            if (UsesPerInstanceSockets(app)) app.Reuseport.SpreadOverAll();
        }
        return CommandOutcome.Ok($"{app.Name}: {from} → {target} instance{(target == 1 ? "" : "s")}");
    }
}
