using Pmx.Config;

namespace Pmx.Supervisor;

// Rolling reload and scaling (DESIGN §5). A reload replaces one slot at a time: start the new
// worker on the same socket, wait until it is online, only then stop the old one. If the new one
// fails, the reload stops there and the old workers keep serving.
internal sealed partial class Supervisor
{
    /// <summary>
    /// Reloads apps; <paramref name="fromConfig"/> holds their specs freshly read from their ecosystem
    /// files, so a reload picks up what changed there (PM2 users expect `reload` to apply new env/args).
    /// </summary>
    public Task<CommandOutcome> Reload(string target, Action<string> progress,
        IReadOnlyDictionary<string, AppSpec>? fromConfig = null) =>
        ForEachApp(target, app => app.Operations.Enqueue(() =>
        {
            if (fromConfig?.GetValueOrDefault(app.Name) is { } fresh && !AppSpecs.AreEquivalent(app.Spec, fresh with { Instances = app.Spec.Instances }))
            {
                if (fresh.Port != app.Spec.Port || fresh.Host != app.Spec.Host || fresh.ReusePort != app.Spec.ReusePort || fresh.ExecMode != app.Spec.ExecMode)
                    return Task.FromResult(CommandOutcome.Failed(
                        $"{app.Name}: its port, host, reuse_port or exec_mode changed in {app.ConfigPath}; a reload keeps the listening socket, so run 'pmx up' to apply that (it restarts the app)"));
                progress($"{app.Name}: picked up the changes in {Path.GetFileName(app.ConfigPath)}");
                app.Spec = fresh with { Instances = app.Spec.Instances };
                ArmTriggers(app);
            }
            return ReloadApp(app, progress);
        }));

    /// <summary>The ecosystem files (and --env names) of the apps a reload of <paramref name="target"/> touches.</summary>
    public IReadOnlyList<(string ConfigPath, string? EnvName)> ConfigSources(string target) =>
        _apps.Values.Where(a => (target == "all" || a.Name == target) && a.ConfigPath != null)
            .Select(a => (a.ConfigPath!, a.EnvName)).Distinct().ToList();

    /// <summary>
    /// One slot at a time, each replacement online before its predecessor gets kill_signal. The old
    /// workers' drains overlap the next slots' starts (as PM2 does): capacity never drops, and the
    /// reload ends once every old worker is gone.
    /// </summary>
    async Task<CommandOutcome> ReloadApp(AppRuntime app, Action<string> progress)
    {
        var started = _time.GetUtcNow();
        var draining = new List<Task>();
        foreach (var slot in app.Slots.ToList())
        {
            if (!app.Slots.Contains(slot)) continue;
            var (failure, oldStopped) = await ReplaceSlot(app, slot, progress);
            if (oldStopped != null) draining.Add(oldStopped);
            if (failure != null)
            {
                await Task.WhenAll(draining);
                return CommandOutcome.Failed($"reload of {app.Name} stopped: {failure}; the old workers keep serving");
            }
        }
        await Task.WhenAll(draining);
        return CommandOutcome.Ok($"{app.Name} reloaded ({app.Slots.Count} instance{(app.Slots.Count == 1 ? "" : "s")}) in {HumanDuration.Format(_time.GetUtcNow() - started)}");
    }

    /// <summary>Replaces one slot's worker and waits for the old one to exit: null when the new one serves, else why not.</summary>
    async Task<string?> ReloadSlot(AppRuntime app, Slot slot, Action<string> progress)
    {
        var (failure, oldStopped) = await ReplaceSlot(app, slot, progress);
        if (oldStopped != null) await oldStopped;
        return failure;
    }

    /// <summary>
    /// Starts the slot's replacement and, once it is online, the old worker's graceful stop (not
    /// awaited: the returned task ends when the old worker has exited).
    /// </summary>
    async Task<(string? Failure, Task? OldStopped)> ReplaceSlot(AppRuntime app, Slot slot, Action<string> progress)
    {
        if (slot.Current is not { IsAlive: true } old)
        {
            // Nothing serves this slot (stopped, errored, or between restarts): start it afresh.
            slot.CancelRestart();
            slot.Phase = SlotPhase.Running;
            slot.UnstableExits = 0;
            var fresh = SpawnWorker(app, slot, progress);
            slot.Current = fresh;
            if (fresh is null) return ($"{app.Name}#{slot.Index}: {slot.LastExit}", null);
            if (await WaitOnline(app, fresh) is { } why) return (why, null);
            progress($"{fresh.Label} pid {fresh.Pid} online (was not running)");
            return (null, null);
        }

        var incoming = SpawnWorker(app, slot, progress);
        if (incoming is null)
        {
            slot.Phase = SlotPhase.Running; // the old worker still serves
            return ($"{app.Name}#{slot.Index}: {slot.LastExit}", null);
        }
        slot.Incoming = incoming;
        if (await WaitOnline(app, incoming) is { } failure)
        {
            await StopWorker(app, incoming, progress);
            slot.Incoming = null;
            return (failure, null);
        }
        var readyIn = HumanDuration.Format((incoming.OnlineAt ?? _time.GetUtcNow()) - incoming.StartedAt);
        slot.Incoming = null;
        slot.Current = incoming;
        slot.Restarts++;
        slot.UnstableExits = 0;
        return (null, ReportWhenStopped(StopWorker(app, old, progress), incoming, readyIn, progress));
    }

    static async Task ReportWhenStopped(Task<string> stopping, Worker incoming, string readyIn, Action<string> progress) =>
        progress($"{incoming.Label} pid {incoming.Pid} ready in {readyIn}; old {await stopping}");

    public Task<CommandOutcome> Scale(string name, string countText, Action<string> progress)
    {
        if (!_apps.TryGetValue(name, out var app)) return Task.FromResult(UnknownApp(name));
        if (!TryParseScale(countText, app.Slots.Count, out var target))
            return Task.FromResult(new CommandOutcome(2, $"cannot scale {name} to '{countText}': expected N, +N or -N with a result of at least 0"));
        return app.Operations.Enqueue(() => ScaleTo(app, target, progress));
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
    async Task SteerAwayFrom(AppRuntime app, IReadOnlyList<Slot> removed, int kept, Action<string> progress)
    {
        app.Slots[0].OwnSocket?.SpreadOver(kept);
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
            var added = new List<Slot>();
            for (var i = from; i < target; i++)
            {
                var slot = new Slot(i);
                app.Slots.Add(slot);
                added.Add(slot);
            }
            var failures = new List<string>();
            var spawned = added.Select(slot => (slot, worker: slot.Current = SpawnWorker(app, slot, progress))).ToList();
            foreach (var (slot, worker) in spawned)
            {
                var why = worker is null ? slot.LastExit : await WaitOnline(app, worker);
                if (why is null) progress($"{worker!.Label} pid {worker.Pid} online");
                else failures.Add(why);
            }
            if (failures.Count > 0) return CommandOutcome.Failed($"scale {app.Name} to {target}: " + string.Join("; ", failures));
            if (UsesPerInstanceSockets(app)) app.Slots[0].OwnSocket?.SpreadOver(target);
        }
        else if (target < from)
        {
            // Highest instances go first, each through the graceful stop path; the shared socket stays open.
            var removed = app.Slots.Where(s => s.Index >= target).OrderByDescending(s => s.Index).ToList();
            if (UsesPerInstanceSockets(app) && target > 0) await SteerAwayFrom(app, removed, target, progress);
            var messages = await Task.WhenAll(removed.Select(slot => StopSlot(app, slot, progress)));
            foreach (var message in messages.Where(m => m != null)) progress(message!);
            foreach (var slot in removed)
            {
                app.Slots.Remove(slot);
                slot.OwnSocket?.Dispose();
            }
        }
        return CommandOutcome.Ok($"{app.Name}: {from} → {target} instance{(target == 1 ? "" : "s")}");
    }
}
