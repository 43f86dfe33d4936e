using Microsoft.Extensions.Logging;
using Pmx.Config;
using Pmx.Schedules;

namespace Pmx.Supervisor;

// Reloads pmx starts on its own: cron_restart, watch, max_memory_restart. Each goes through the
// app's OperationQueue like a user's `pmx reload`, so it never interleaves with one, and each
// replaces workers the way a reload of that app does (ReloadStrategy).
internal sealed partial class AppSupervisor
{
    static readonly TimeSpan WatchDebounce = TimeSpan.FromMilliseconds(500);

    /// <summary>(Re)creates an app's cron timer and file watcher from its current spec.</summary>
    void ArmTriggers(AppRuntime app)
    {
        DisarmTriggers(app);
        if (app.Spec.CronRestart is { } cron && CronSchedule.TryParse(cron, out var expression, out _))
            ScheduleCron(app, expression!);
        if (app.Spec.Watch.Count > 0)
            app.Watcher = new Watching.AppWatcher(app.Spec.Watch, app.Spec.IgnoreWatch, changed => _loop.Post(() => OnWatchedChange(app, changed)));
    }

    static void DisarmTriggers(AppRuntime app)
    {
        app.CronTimer?.Dispose();
        app.CronTimer = null;
        app.Watcher?.Dispose();
        app.Watcher = null;
        app.WatchDebounce?.Dispose();
        app.WatchDebounce = null;
    }

    /// <summary>The next firing may be months away (LongTimer); each firing arms the one after.</summary>
    void ScheduleCron(AppRuntime app, Cronos.CronExpression expression)
    {
        if (CronSchedule.Until(expression, _time.GetUtcNow()) is not { } wait) return;
        LongTimer? timer = null;
        timer = LongTimer.Start(_time, wait, () => _loop.Post(() =>
        {
            if (app.CronTimer != timer || !IsLive(app)) return;
            _log.LogInformation("{App}: cron_restart \"{Cron}\" is due; reloading", app.Name, app.Spec.CronRestart);
            ReloadInBackground(app, "cron_restart");
            ScheduleCron(app, expression);
        }));
        app.CronTimer = timer;
    }

    /// <summary>Many events arrive for one save (editors write, rename, chmod): reload once they settle.</summary>
    void OnWatchedChange(AppRuntime app, string path)
    {
        if (!IsLive(app)) return;
        app.LastWatchedChange = path;
        app.WatchDebounce?.Dispose();
        LongTimer? timer = null;
        timer = LongTimer.Start(_time, WatchDebounce, () => _loop.Post(() =>
        {
            if (app.WatchDebounce != timer || !IsLive(app)) return;
            _log.LogInformation("{App}: {Path} changed; reloading", app.Name, app.LastWatchedChange);
            ReloadInBackground(app, $"watched file {app.LastWatchedChange} changed");
        }));
        app.WatchDebounce = timer;
    }

    /// <summary>max_memory_restart: called after each resource sample; /proc is read once, and only if some app has a limit.</summary>
    void CheckMemory(Func<IReadOnlyDictionary<int, long>> rssByProcessGroup)
    {
        IReadOnlyDictionary<int, long>? groups = null;
        foreach (var app in _apps.Values)
        {
            if (app.Spec.MaxMemoryRestartBytes is not { } limit || app.Operations.IsBusy) continue;
            foreach (var slot in app.Slots)
            {
                if (slot.State != SlotState.Online || slot.Current is not { State: WorkerState.Online } worker) continue;
                groups ??= rssByProcessGroup();
                var rss = groups.GetValueOrDefault(worker.Pid);
                if (rss <= limit) continue;
                var reason = $"memory {SizeValue.Format(rss)} over max_memory_restart {SizeValue.Format(limit)}";
                _log.LogWarning("{Worker} pid {Pid} uses {Reason}; replacing it", worker.Label, worker.Pid, reason);
                var target = slot;
                _ = Enqueue(app, async () =>
                {
                    if (!app.Slots.Contains(target) || target.Current != worker) return CommandOutcome.Ok();
                    var failure = await ReloadSlot(app, target, _ => { });
                    RecordExit(target, failure is null ? $"replaced: {reason}" : $"{reason}; replacement failed: {failure}", worker.Uptime(_time.GetUtcNow()));
                    return CommandOutcome.Ok();
                });
                break; // one instance at a time per app; the next sample looks again
            }
        }
    }

    void ReloadInBackground(AppRuntime app, string why) =>
        _ = Enqueue(app, async () =>
        {
            var outcome = await ReloadApp(app, line => _log.LogInformation("{Line}", line));
            if (outcome.ExitCode != 0) _log.LogError("{App}: reload after {Why} failed: {Message}", app.Name, why, outcome.Message);
            return outcome;
        });

    /// <summary>Still supervised and meant to run: a stopped app is not brought back by a timer or a file.</summary>
    bool IsLive(AppRuntime app) => IsSupervised(app) && app.Slots.Any(s => s.State is not (SlotState.Stopped or SlotState.Errored));
}
