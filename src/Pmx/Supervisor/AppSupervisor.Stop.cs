using Pmx.Processes;

namespace Pmx.Supervisor;

// Stopping: stop, delete, down, kill. A stop ends when every worker the slots held has exited
// (or survived SIGKILL, which is reported); a delete then forgets the app.
internal sealed partial class AppSupervisor
{
    public Task<CommandOutcome> Stop(string target, Action<string> progress) =>
        ForEachTarget(target, selected => Enqueue(selected.App, async () =>
        {
            var app = selected.App;
            foreach (var message in await StopSlots(app, selected.Slots)) progress(message);
            if (app.Slots.All(s => s.State is SlotState.Stopped or SlotState.Errored)) CloseSockets(app);
            else foreach (var slot in selected.Slots) CloseSocketOfIdleSlot(app, slot);
            return CommandOutcome.Ok($"{selected.Label} stopped");
        }));

    /// <summary>
    /// Deletes apps. An id names one process; deleting one instance of several is refused: pmx
    /// numbers instances 0..N-1 (NODE_APP_INSTANCE, log files, per-instance sockets, `instances`
    /// in the config), and a hole would make them disagree. `scale` removes instances instead.
    /// </summary>
    public Task<CommandOutcome> Delete(string target, Action<string> progress) =>
        ForEachTarget(target, selected => Enqueue(selected.App, async () =>
        {
            var app = selected.App;
            if (!selected.IsWholeApp && app.Slots.Count > 1)
                return CommandOutcome.Failed($"{selected.Label} (id {selected.Only!.Id}) is one of {app.Slots.Count} instances of {app.Name}; "
                    + $"pmx does not delete one instance. Run 'pmx scale {app.Name} -1' for fewer instances (the highest goes), "
                    + $"'pmx stop {selected.Only.Id}' to stop this one, or 'pmx delete {app.Name}' to remove the app");
            foreach (var message in await StopSlots(app, app.Slots)) progress(message);
            Forget(app);
            return CommandOutcome.Ok($"{app.Name} deleted");
        }));

    /// <summary>Stops slots for good (no restart afterwards); returns the stop policy's sentences once every worker is gone.</summary>
    async Task<IReadOnlyList<string>> StopSlots(AppRuntime app, IEnumerable<Slot> slots)
    {
        var reports = new List<Task<string>>();
        foreach (var slot in slots.ToList())
        {
            Dispatch(app, slot, SlotEvent.Stop);
            reports.AddRange(slot.View.Workers.Select(w => w.StopReport ?? Task.FromResult($"{w.Label} pid {w.Pid} stopped")));
        }
        return await Task.WhenAll(reports);
    }

    void Forget(AppRuntime app)
    {
        _apps.Remove(app.Name);
        DisarmTriggers(app);
        CloseSockets(app);
        _plumbing.ReleaseNodeListens(app.Name);
        StateChanged?.Invoke();
    }

    /// <summary>
    /// When no worker of the app will accept on them: a client is then refused at once instead of
    /// waiting in a queue nobody reads. The next start binds them again.
    /// </summary>
    static void CloseSockets(AppRuntime app)
    {
        foreach (var slot in app.Slots) slot.OwnSocket = null;
        app.Reuseport.CloseAll();
        app.SharedSocket?.StopListening();
        app.SharedSocket?.Dispose();
        app.SharedSocket = null;
    }

    /// <summary>Stops every app gracefully, in parallel (down, SIGTERM in foreground mode).</summary>
    public async Task<CommandOutcome> StopEverything(Action<string> progress, Func<AppRuntime, bool>? which = null)
    {
        var apps = _apps.Values.Where(a => which is null || which(a)).ToList();
        await Task.WhenAll(apps.Select(app => app.Operations.Enqueue(async () =>
        {
            foreach (var message in await StopSlots(app, app.Slots)) progress(message);
            if (IsSupervised(app)) Forget(app);
            return CommandOutcome.Ok();
        })));
        return CommandOutcome.Ok(apps.Count == 0 ? "nothing was running" : $"stopped {apps.Count} app{(apps.Count == 1 ? "" : "s")}");
    }

    /// <summary>Kills every worker's tree at once (pmx kill).</summary>
    public void KillEverything()
    {
        _life = SupervisorLife.Killed;
        foreach (var app in _apps.Values)
            foreach (var slot in app.Slots) Dispatch(app, slot, SlotEvent.Stop);
        foreach (var worker in _workersByPid.Values) _host.Kill(worker.Pid);
    }
}
