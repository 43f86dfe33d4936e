using Pmx.Config;
using Pmx.Control;

namespace Pmx.Supervisor;

// What the CLI sees and pokes without changing a slot: list, describe, signal, resource samples.
internal sealed partial class AppSupervisor
{
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
            Name = app.Name, Instance = slot.Index, Id = slot.Id, Pid = w?.Pid ?? 0, Status = slot.Status, Restarts = slot.Restarts,
            UptimeMs = w is null ? 0 : (long)w.Uptime(_time.GetUtcNow()).TotalMilliseconds,
            CpuPercent = Math.Round(w?.Cpu.Percent ?? 0, 1), MemoryBytes = w?.Cpu.MemoryBytes ?? 0,
            ExecMode = app.Spec.ExecMode, Port = app.Spec.Port, StartedAt = w?.StartedAt,
            LastExit = slot.LastExit, StatusText = w?.StatusText,
        };
    }

    /// <summary>Everything `pmx describe` shows about one app, or one of its instances (an id).</summary>
    public AppDetails? Describe(string target, Func<AppSpec, int, (string Out, string Err)> logPaths)
    {
        if (Select(target).Selections is not [var selected]) return null;
        var app = selected.App;
        return new AppDetails
        {
            Spec = app.Spec,
            ConfigPath = app.ConfigPath,
            Instances = selected.Slots.Select(slot =>
            {
                var (outLog, errLog) = logPaths(app.Spec, slot.Index);
                return new InstanceDetails
                {
                    Process = Row(app, slot), Readiness = ReadinessOf(app.Spec, slot.Current),
                    OutLogPath = outLog, ErrorLogPath = errLog, RecentExits = slot.RecentExits.ToList(),
                    LastWatchdogAt = slot.Current?.LastWatchdogAt, AnnouncedStopping = slot.Current?.AnnouncedStoppingAt is not null,
                };
            }).ToList(),
        };
    }

    static ReadinessState ReadinessOf(AppSpec spec, Worker? worker) => worker switch
    {
        null or { IsAlive: false } => ReadinessState.NotRunning,
        { StopCause: StopCause.MissedReadiness } => ReadinessState.TimedOut,
        _ when !spec.WaitReady => ReadinessState.NotRequired,
        { State: WorkerState.Launching } => ReadinessState.Waiting,
        _ => ReadinessState.Ready,
    };

    /// <summary>Sends a signal to every live worker of an app, or to one (an id, or name#i).</summary>
    public CommandOutcome Signal(string signalText, string target)
    {
        if (!Processes.SignalNames.TryParse(signalText, out var signal, out var signalName))
            return new CommandOutcome(2, $"unknown signal '{signalText}' (try SIGUSR2, USR2 or 12)");
        var (selections, unknown) = Select(target);
        if (unknown is { } failed) return failed;
        var sent = 0;
        var undelivered = new List<string>();
        foreach (var slot in selections.SelectMany(s => s.Slots).Distinct())
        {
            if (slot.Current is not { IsAlive: true } worker) continue;
            var outcome = _host.SendSignal(worker.Pid, signal);
            if (outcome == Processes.SignalOutcome.Delivered) sent++;
            else if (outcome == Processes.SignalOutcome.NotSupported) undelivered.Add($"{worker.Label} pid {worker.Pid}: this system has no signals (Windows)");
            else undelivered.Add($"{worker.Label} pid {worker.Pid}: {outcome}");
        }
        if (sent == 0)
            return CommandOutcome.Failed($"no running worker of {target} took {signalName}" + (undelivered.Count > 0 ? $" ({string.Join(", ", undelivered)})" : ""));
        return CommandOutcome.Ok($"sent {signalName} to {Plural(sent, "worker")} of {target}");
    }

    static (string Name, int? Instance) SplitTarget(string target)
    {
        var hash = target.LastIndexOf('#');
        if (hash > 0 && int.TryParse(target.AsSpan(hash + 1), out var i)) return (target[..hash], i);
        return (target, null);
    }

    /// <summary>Samples CPU and memory of every live worker (called on a timer by the daemon).</summary>
    public void SampleResources(Func<int, (TimeSpan Cpu, long Rss)?> read, Func<IReadOnlyDictionary<int, long>> rssByProcessGroup)
    {
        var now = _time.GetUtcNow();
        foreach (var worker in _workersByPid.Values)
            if (read(worker.Pid) is { } sample) worker.Cpu.Sample(sample.Cpu, sample.Rss, now);
        CheckMemory(rssByProcessGroup);
    }

    /// <summary>True when any slot of any app ended errored (foreground mode's exit code).</summary>
    public bool AnyErrored => _apps.Values.Any(a => a.Slots.Any(s => s.State == SlotState.Errored));

    public bool AnyOnline => _apps.Values.Any(a => a.Slots.Any(s => s.State == SlotState.Online));
}
