using Pmx.Config;

namespace Pmx.Supervisor;

// Rolling reload (DESIGN §5). A reload replaces one slot at a time: the slot machine starts the new
// worker on the same socket and stops the old one only once the new one is online. If the new one
// fails, the reload stops there and the old workers keep serving. Apps that cannot run two
// workers side by side are stopped, then started (ReloadStrategy).
internal sealed partial class AppSupervisor
{
    /// <summary>
    /// Reloads apps; <paramref name="fromConfig"/> holds their specs freshly read from their ecosystem
    /// files, so a reload picks up what changed there (PM2 users expect `reload` to apply new env/args).
    /// </summary>
    /// <param name="environment">--update-env: the environment the app runs with from now on.</param>
    public Task<CommandOutcome> Reload(string target, Action<string> progress,
        IReadOnlyDictionary<string, AppSpec>? fromConfig = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ForEachTarget(target, selected => Enqueue(selected.App, () =>
        {
            var app = selected.App;
            if (environment != null) app.BaseEnvironment = environment;
            // One process (an id): only that worker is replaced, with the app's current spec; a config
            // change applies to a whole app, so that its instances never run different specs.
            if (!selected.IsWholeApp) return ReloadOne(selected, progress);
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

    async Task<CommandOutcome> ReloadOne(Selection selected, Action<string> progress)
    {
        if (selected.Slots is not [var slot]) return CommandOutcome.Failed($"{selected.Label} was removed before this reload's turn came");
        var started = _time.GetUtcNow();
        var failure = await ReloadSlot(selected.App, slot, progress);
        return failure is null
            ? CommandOutcome.Ok($"{selected.Label} reloaded in {HumanDuration.Format(_time.GetUtcNow() - started)}")
            : CommandOutcome.Failed($"reload of {selected.Label} stopped: {failure}");
    }

    /// <summary>The ecosystem files (and --env names) of the apps a reload of <paramref name="target"/> touches.</summary>
    public IReadOnlyList<(string ConfigPath, string? EnvName)> ConfigSources(string target) =>
        Select(target).Selections.Where(s => s.IsWholeApp && s.App.ConfigPath != null).Select(s => s.App)
            .Select(a => (a.ConfigPath!, a.EnvName)).Distinct().ToList();

    /// <summary>
    /// One slot at a time, each replacement online before its predecessor gets kill_signal. The old
    /// workers' drains overlap the next slots' starts (as PM2 does): capacity never drops, and the
    /// reload ends once every old worker is gone.
    /// </summary>
    async Task<CommandOutcome> ReloadApp(AppRuntime app, Action<string> progress)
    {
        var started = _time.GetUtcNow();
        if (!ReloadStrategy.ReloadsInPlace(app.Spec)) return await StopThenStart(app, app.Slots, progress, started);
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
        return CommandOutcome.Ok($"{app.Name} reloaded ({Plural(app.Slots.Count, "instance")}) in {HumanDuration.Format(_time.GetUtcNow() - started)}");
    }

    async Task<CommandOutcome> StopThenStart(AppRuntime app, IReadOnlyList<Slot> slots, Action<string> progress, DateTimeOffset started)
    {
        progress($"{app.Name}: {ReloadStrategy.StopThenStartNote}");
        foreach (var message in await StopSlots(app, slots)) progress(message);
        var outcome = await StartSlots(app, slots, progress, SlotEvent.Restart);
        if (outcome.ExitCode != 0) return CommandOutcome.Failed($"reload of {app.Name} failed: {outcome.Message}");
        return CommandOutcome.Ok($"{app.Name} restarted ({Plural(slots.Count, "instance")}; {ReloadStrategy.StopThenStartNote}) in {HumanDuration.Format(_time.GetUtcNow() - started)}");
    }

    /// <summary>Replaces one slot's worker and waits for the old one to exit: null when the new one serves, else why not.</summary>
    async Task<string?> ReloadSlot(AppRuntime app, Slot slot, Action<string> progress)
    {
        if (!ReloadStrategy.ReloadsInPlace(app.Spec))
        {
            var outcome = await StopThenStart(app, [slot], progress, _time.GetUtcNow());
            return outcome.ExitCode == 0 ? null : outcome.Message;
        }
        var (failure, oldStopped) = await ReplaceSlot(app, slot, progress);
        if (oldStopped != null) await oldStopped;
        return failure;
    }

    /// <summary>
    /// Sends the slot a reload and waits until its replacement is online or has failed. The old
    /// worker's graceful stop is not awaited: the returned task ends when it has exited.
    /// </summary>
    async Task<(string? Failure, Task? OldStopped)> ReplaceSlot(AppRuntime app, Slot slot, Action<string> progress)
    {
        var old = slot.State is SlotState.Online or SlotState.Starting ? slot.Current : null;
        if (old is null)
        {
            // Nothing serves this slot (stopped, errored, or between restarts): start it afresh.
            var failures = await StartSlots(app, [slot], line => progress(line + " (was not running)"), SlotEvent.Reload);
            return (failures.ExitCode == 0 ? null : failures.Message, null);
        }
        Dispatch(app, slot, SlotEvent.Reload);
        // The replacement is spawned off the loop: wait for its outcome. The incoming worker is taken
        // when the launch ends, not when this continuation runs: a READY that beat the spawn's outcome
        // promotes it in the same loop step, and Incoming is empty again by then.
        var ticket = slot.View.Launching;
        Worker? launched = null;
        await slot.Until(s =>
        {
            if (ticket is not null && s.View.Launching == ticket) return false;
            launched = s.Incoming;
            return true;
        });
        if (launched is not { } incoming) return ($"{app.Name}#{slot.Index}: {slot.LastExit}", null);
        await slot.Until(s => s.State != SlotState.Replacing || s.Incoming != incoming);
        if (slot.Current != incoming || incoming.State != WorkerState.Online)
        {
            // The replacement is draining or gone: report how it ended once it has.
            await incoming.Exited;
            return (incoming.WhyNotOnline(app.Spec.ListenTimeout), null);
        }
        var readyIn = HumanDuration.Format((incoming.OnlineAt ?? _time.GetUtcNow()) - incoming.StartedAt);
        var oldStop = old.StopReport ?? Task.FromResult($"{old.Label} pid {old.Pid} {old.Exit?.Describe() ?? "exited"} while its replacement started");
        return (null, ReportWhenStopped(oldStop, incoming, readyIn, progress));
    }

    static async Task ReportWhenStopped(Task<string> stopping, Worker incoming, string readyIn, Action<string> progress) =>
        progress($"{incoming.Label} pid {incoming.Pid} ready in {readyIn}; old {await stopping}");
}
