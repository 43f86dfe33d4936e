using Microsoft.Extensions.Logging;
using Pmx.Config;
using Pmx.Control;

namespace Pmx.Supervisor;

// The control commands. Each runs on the loop; those that change an app go through the app's
// OperationQueue so they never interleave; `list` and `describe` answer at once.
internal sealed partial class Supervisor
{
    /// <summary>Starts every slot of a new app and waits until each is online or has failed.</summary>
    async Task<CommandOutcome> StartApp(AppRuntime app, Action<string> progress)
    {
        var failures = new List<string>();
        var starting = new List<(Slot Slot, Worker Worker)>();
        foreach (var slot in app.Slots)
        {
            slot.CancelRestart();
            slot.Phase = SlotPhase.Running;
            slot.UnstableExits = 0;
            if (slot.Current is { IsAlive: true }) continue;
            var worker = SpawnWorker(app, slot, progress);
            slot.Current = worker;
            if (worker is null) failures.Add($"{app.Name}#{slot.Index}: {slot.LastExit}");
            else starting.Add((slot, worker));
        }
        foreach (var (slot, worker) in starting)
        {
            var outcome = await WaitOnline(app, worker);
            if (outcome is null) progress($"{worker.Label} pid {worker.Pid} online");
            else if (app.Spec.WaitReady) failures.Add(outcome);
            // Without wait_ready an early exit is the restart policy's business, not a failed start.
            else progress($"{outcome}; pmx keeps restarting it (max_restarts {app.Spec.MaxRestarts})");
        }
        return failures.Count == 0
            ? CommandOutcome.Ok()
            : CommandOutcome.Failed($"{app.Name} did not start: " + string.Join("; ", failures));
    }

    /// <summary>Null once the worker is online; otherwise why it is not.</summary>
    async Task<string?> WaitOnline(AppRuntime app, Worker worker)
    {
        try
        {
            await worker.Online;
            return null;
        }
        catch (WorkerFailedException)
        {
            if (worker.MissedReadiness)
                return $"{worker.Label} pid {worker.Pid} sent no ready signal within {HumanDuration.Format(app.Spec.ListenTimeout)} (listen_timeout)";
            var exit = await worker.Exited;
            return $"{worker.Label} pid {worker.Pid} {exit.Describe()} before it was online";
        }
    }

    public Task<CommandOutcome> Stop(string target, Action<string> progress) =>
        ForEachApp(target, app => app.Operations.Enqueue(async () =>
        {
            var messages = await Task.WhenAll(app.Slots.Select(slot => StopSlot(app, slot, progress)));
            foreach (var message in messages.Where(m => m != null)) progress(message!);
            return CommandOutcome.Ok($"{app.Name} stopped");
        }));

    public Task<CommandOutcome> Restart(string target, Action<string> progress) =>
        ForEachApp(target, app => app.Operations.Enqueue(async () =>
        {
            await Task.WhenAll(app.Slots.Select(slot => StopSlot(app, slot, progress)));
            foreach (var slot in app.Slots) slot.Restarts++;
            var outcome = await StartApp(app, progress);
            return outcome.ExitCode == 0 ? CommandOutcome.Ok($"{app.Name} restarted") : outcome;
        }));

    public Task<CommandOutcome> Delete(string target, Action<string> progress) =>
        ForEachApp(target, app => app.Operations.Enqueue(async () =>
        {
            await Task.WhenAll(app.Slots.Select(slot => StopSlot(app, slot, progress)));
            Forget(app);
            return CommandOutcome.Ok($"{app.Name} deleted");
        }));

    void Forget(AppRuntime app)
    {
        _apps.Remove(app.Name);
        DisarmTriggers(app);
        CloseSockets(app);
        _plumbing.ReleaseNodeListens(app.Name); // pm2 branch: sockets bound for the Node preload
    }

    /// <summary>Only when no worker of the app will accept on them again (delete, or a restart on a new address).</summary>
    static void CloseSockets(AppRuntime app)
    {
        foreach (var slot in app.Slots)
        {
            slot.OwnSocket?.Dispose();
            slot.OwnSocket = null;
        }
        app.SharedSocket?.Dispose();
        app.SharedSocket = null;
    }

    /// <summary>Sends a signal to every live worker of an app, or to one (name#i).</summary>
    public CommandOutcome Signal(string signalText, string target)
    {
        if (!Processes.SignalNames.TryParse(signalText, out var signal, out var signalName))
            return new CommandOutcome(2, $"unknown signal '{signalText}' (try SIGUSR2, USR2 or 12)");
        var (name, instance) = SplitTarget(target);
        if (!_apps.TryGetValue(name, out var app)) return UnknownApp(name);
        var sent = 0;
        foreach (var slot in app.Slots.Where(s => instance is null || s.Index == instance))
        {
            if (slot.Current is not { IsAlive: true } worker) continue;
            if (_host.SignalGroup(worker.Pid, signal) == Processes.SignalOutcome.Delivered) sent++;
        }
        return sent == 0
            ? CommandOutcome.Failed($"no running worker of {target} to send {signalName} to")
            : CommandOutcome.Ok($"sent {signalName} to {sent} worker{(sent == 1 ? "" : "s")} of {target}");
    }

    static (string Name, int? Instance) SplitTarget(string target)
    {
        var hash = target.LastIndexOf('#');
        if (hash > 0 && int.TryParse(target.AsSpan(hash + 1), out var i)) return (target[..hash], i);
        return (target, null);
    }

    public IReadOnlyList<ProcessInfo> List(string? nameFilter = null)
    {
        var rows = new List<ProcessInfo>();
        foreach (var app in _apps.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (nameFilter != null && !app.Name.Contains(nameFilter, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var slot in app.Slots) rows.Add(Row(app, slot));
        }
        return rows;
    }

    ProcessInfo Row(AppRuntime app, Slot slot)
    {
        var w = slot.Current is { IsAlive: true } live ? live : null;
        return new ProcessInfo
        {
            Name = app.Name, Instance = slot.Index, Pid = w?.Pid ?? 0, Status = slot.Status, Restarts = slot.Restarts,
            UptimeMs = w is null ? 0 : (long)w.Uptime(_time.GetUtcNow()).TotalMilliseconds,
            CpuPercent = Math.Round(w?.Cpu.Percent ?? 0, 1), MemoryBytes = w?.Cpu.MemoryBytes ?? 0,
            ExecMode = app.Spec.ExecMode, Port = app.Spec.Port, StartedAt = w?.StartedAt,
            LastExit = slot.LastExit, StatusText = w?.StatusText,
        };
    }

    /// <summary>Everything `pmx describe` shows about one app.</summary>
    public AppDetails? Describe(string name, Func<AppSpec, int, (string Out, string Err)> logPaths)
    {
        if (!_apps.TryGetValue(name, out var app)) return null;
        return new AppDetails
        {
            Spec = app.Spec,
            ConfigPath = app.ConfigPath,
            Instances = app.Slots.Select(slot =>
            {
                var (outLog, errLog) = logPaths(app.Spec, slot.Index);
                return new InstanceDetails
                {
                    Process = Row(app, slot), Readiness = ReadinessOf(app.Spec, slot.Current),
                    OutLogPath = outLog, ErrorLogPath = errLog, RecentExits = slot.RecentExits.ToList(),
                    LastWatchdogAt = slot.Current?.LastWatchdogAt, AnnouncedStopping = slot.Current?.AnnouncedStopping ?? false,
                };
            }).ToList(),
        };
    }

    static ReadinessState ReadinessOf(AppSpec spec, Worker? worker) => worker switch
    {
        null or { IsAlive: false } => ReadinessState.NotRunning,
        { MissedReadiness: true } => ReadinessState.TimedOut,
        _ when !spec.WaitReady => ReadinessState.NotRequired,
        { State: WorkerState.Launching } => ReadinessState.Waiting,
        _ => ReadinessState.Ready,
    };

    /// <summary>Samples CPU and memory of every live worker (called on a timer by the daemon).</summary>
    public void SampleResources(Func<int, (TimeSpan Cpu, long Rss)?> read, Func<IReadOnlyDictionary<int, long>> rssByProcessGroup)
    {
        var now = _time.GetUtcNow();
        foreach (var worker in _workersByPid.Values)
            if (read(worker.Pid) is { } sample) worker.Cpu.Sample(sample.Cpu, sample.Rss, now);
        CheckMemory(rssByProcessGroup);
    }

    /// <summary>Stops every app gracefully, in parallel (down, SIGTERM in foreground mode).</summary>
    public async Task<CommandOutcome> StopEverything(Action<string> progress, Func<AppRuntime, bool>? which = null)
    {
        var apps = _apps.Values.Where(a => which is null || which(a)).ToList();
        await Task.WhenAll(apps.Select(app => app.Operations.Enqueue(async () =>
        {
            var messages = await Task.WhenAll(app.Slots.Select(slot => StopSlot(app, slot, progress)));
            foreach (var message in messages.Where(m => m != null)) progress(message!);
            Forget(app);
            return CommandOutcome.Ok();
        })));
        return CommandOutcome.Ok(apps.Count == 0 ? "nothing was running" : $"stopped {apps.Count} app{(apps.Count == 1 ? "" : "s")}");
    }

    /// <summary>SIGKILLs every worker's process group at once (pmx kill).</summary>
    public void KillEverything()
    {
        foreach (var app in _apps.Values)
            foreach (var slot in app.Slots) { slot.CancelRestart(); slot.Phase = SlotPhase.Stopped; }
        foreach (var worker in _workersByPid.Values)
        {
            if (worker.State != WorkerState.Stopping) worker.MarkStopping();
            _host.SignalGroup(worker.Pid, Processes.SignalNames.SIGKILL);
        }
    }

    /// <summary>True when any slot of any app ended errored (foreground mode's exit code).</summary>
    public bool AnyErrored => _apps.Values.Any(a => a.Slots.Any(s => s.Phase == SlotPhase.Errored));

    async Task<CommandOutcome> ForEachApp(string target, Func<AppRuntime, Task<CommandOutcome>> action)
    {
        var apps = target == "all" ? _apps.Values.ToList() : _apps.TryGetValue(target, out var one) ? [one] : [];
        if (apps.Count == 0) return target == "all" ? CommandOutcome.Ok("no apps") : UnknownApp(target);
        var outcomes = await Task.WhenAll(apps.Select(action));
        var failed = outcomes.Where(o => o.ExitCode != 0).ToList();
        if (failed.Count > 0) return new CommandOutcome(failed.Max(o => o.ExitCode), string.Join("\n", failed.Select(o => o.Message)));
        return CommandOutcome.Ok(string.Join("\n", outcomes.Select(o => o.Message).Where(m => m != null)));
    }

    CommandOutcome UnknownApp(string name)
    {
        var known = _apps.Count == 0 ? "no apps are running" : "apps: " + string.Join(", ", _apps.Keys.Order(StringComparer.Ordinal));
        return CommandOutcome.Failed($"no app named '{name}' ({known})");
    }
}
