using Pmx.Config;
using Pmx.Schedules;

namespace Pmx.Supervisor;

// Starting apps: `pmx start`, the start half of `restart`, new apps of `up`, scale-up. A start is
// honest: it waits out the start window and fails when an instance crash-loops or never comes
// online, saying how it ended; "online" is printed only for workers that are.
internal sealed partial class AppSupervisor
{
    /// <summary>How long past the ready deadline a start waits for crash-restarts to settle.</summary>
    static readonly TimeSpan RestartSlack = TimeSpan.FromSeconds(10);

    /// <summary>`pmx start`: a new app, or an app pmx knows by name started again.</summary>
    public Task<CommandOutcome> Start(AppSpec spec, IReadOnlyDictionary<string, string> environment, Action<string> progress)
    {
        if (_apps.TryGetValue(spec.Name, out var known)) return Enqueue(known, () => StartApp(known, progress));
        var app = Register(spec, environment, configPath: null);
        return Enqueue(app, () => StartApp(app, progress));
    }

    /// <summary>Starts apps (or single instances, by id) pmx already knows after a stop.</summary>
    public Task<CommandOutcome> StartKnown(string target, Action<string> progress) =>
        ForEachTarget(target, selected => Enqueue(selected.App, () => StartSlots(selected.App, selected.Slots, progress, SlotEvent.Start)));

    /// <param name="environment">--update-env: the environment the app runs with from now on.</param>
    public Task<CommandOutcome> Restart(string target, Action<string> progress, IReadOnlyDictionary<string, string>? environment = null) =>
        ForEachTarget(target, selected => Enqueue(selected.App, async () =>
        {
            var app = selected.App;
            if (environment != null) app.BaseEnvironment = environment;
            var slots = selected.Slots;
            await StopSlots(app, slots);
            var outcome = await StartSlots(app, slots, progress, SlotEvent.Restart);
            return outcome.ExitCode == 0 ? CommandOutcome.Ok($"{selected.Label} restarted") : outcome;
        }));

    AppRuntime Register(AppSpec spec, IReadOnlyDictionary<string, string> environment, string? configPath)
    {
        var app = new AppRuntime(spec, environment) { ConfigPath = configPath };
        for (var i = 0; i < spec.Instances; i++) app.Slots.Add(NewSlot(i));
        _apps[spec.Name] = app;
        ArmTriggers(app);
        return app;
    }

    /// <summary>Starts every slot of an app that is not running and waits until each is online or has failed.</summary>
    Task<CommandOutcome> StartApp(AppRuntime app, Action<string> progress) => StartSlots(app, app.Slots, progress, SlotEvent.Start);

    /// <summary>How many slots a start dispatches before letting the loop answer anything else.</summary>
    const int SpawnBatch = 32;

    SupervisorLife _life = SupervisorLife.Supervising;

    async Task<CommandOutcome> StartSlots(AppRuntime app, IReadOnlyList<Slot> slots, Action<string> progress, SlotEvent start)
    {
        var starting = slots.ToList();
        var wasOnline = starting.Where(s => s.State == SlotState.Online).Select(s => s.Current).ToHashSet();
        for (var i = 0; i < starting.Count; i++)
        {
            // Thousands of instances must not hold the loop for the whole start: between batches,
            // `list` and `kill` waiting in its queue get their turn (issue 11). Yield posts the rest
            // behind them, on this loop (its SynchronizationContext).
            if (i > 0 && i % SpawnBatch == 0) await Task.Yield();
            if (_life == SupervisorLife.Killed) break; // the kill let in stopped everything; spawn no ghost after it
            Dispatch(app, starting[i], start);
        }
        var failures = await AwaitOnline(app, starting, progress, wasOnline);
        return failures.Count == 0
            ? CommandOutcome.Ok()
            : CommandOutcome.Failed($"{app.Name} did not start: " + string.Join("; ", failures));
    }

    /// <summary>
    /// Waits until each slot is online and has stayed up min_uptime (an earlier exit is a crash
    /// the restart policy counts), or has given up, within the start window; returns what failed.
    /// </summary>
    async Task<List<string>> AwaitOnline(AppRuntime app, IReadOnlyList<Slot> slots, Action<string> progress,
        IReadOnlySet<Worker?>? alreadyReported = null)
    {
        var window = StartWindow(app.Spec);
        var deadline = _time.GetUtcNow() + window;
        while (_time.GetUtcNow() < deadline)
        {
            using (var cancel = new CancellationTokenSource())
            {
                var settled = Task.WhenAll(slots.Select(s => s.Until(IsSettled)));
                await Task.WhenAny(settled, LongTimer.Delay(_time, deadline - _time.GetUtcNow(), cancel.Token));
                cancel.Cancel(); // the deadline's timer, if still pending
            }
            var now = _time.GetUtcNow();
            var stable = StabilityWait(app.Spec);
            var young = slots.Where(s => s.State == SlotState.Online && s.Current!.Uptime(now) < stable).ToList();
            if (young.Count == 0 || now >= deadline) break;
            var settle = young.Max(s => stable - s.Current!.Uptime(now));
            await LongTimer.Delay(_time, settle < deadline - now ? settle : deadline - now, CancellationToken.None);
        }
        var failures = new List<string>();
        foreach (var slot in slots)
        {
            if (slot.State == SlotState.Online && slot.Current is { } worker)
            {
                if (alreadyReported?.Contains(worker) != true) progress($"{worker.Label} pid {worker.Pid} online");
                continue;
            }
            // The reaper may report an exit before the log pump has read the worker's last words.
            if (slot.LastStderr is { } tail && slot.Current is not { IsAlive: true })
                await Task.WhenAny(tail.Closed, Task.Delay(LastWordsWait, CancellationToken.None));
            failures.Add(WhyNotOnline(app, slot, window));
        }
        return failures;
    }

    /// <summary>How long a failed start waits for a dead worker's stderr to reach end of file (a child it left may hold it open).</summary>
    static readonly TimeSpan LastWordsWait = TimeSpan.FromSeconds(1);

    static bool IsSettled(Slot slot) => slot.State is SlotState.Online or SlotState.Errored or SlotState.Stopped;

    static TimeSpan StartWindow(AppSpec spec) => (spec.WaitReady ? spec.ListenTimeout : StartGrace(spec)) + StabilityWait(spec) + RestartSlack;

    /// <summary>
    /// How long a start waits for a new worker to prove stable: min_uptime, but never more than a
    /// few seconds, so `min_uptime = "1200h"` does not hold the CLI for weeks. A later crash still
    /// counts as unstable for the restart policy and shows in `pmx list`.
    /// </summary>
    static TimeSpan StabilityWait(AppSpec spec) => spec.MinUptime < MaxStabilityWait ? spec.MinUptime : MaxStabilityWait;

    static readonly TimeSpan MaxStabilityWait = TimeSpan.FromSeconds(5);

    static string WhyNotOnline(AppRuntime app, Slot slot, TimeSpan window)
    {
        var label = $"{app.Name}#{slot.Index}";
        var last = slot.LastExit ?? "no exit recorded";
        // The exit status, then the worker's own words: the EADDRINUSE line when that is why, else its last stderr line.
        var printed = slot.AddressInUseLine is { } inUse && last.Contains("(EADDRINUSE)", StringComparison.Ordinal) ? inUse : slot.LastStderr?.LastLine;
        if (printed != null) last += $"; it printed: {printed}";
        var status = slot.Current?.StatusClause ?? "";
        return slot.State switch
        {
            SlotState.Errored when slot.View.UnstableExits > 0 =>
                $"{label} crash-looped: {slot.View.UnstableExits} exits in a row within min_uptime {HumanDuration.Format(app.Spec.MinUptime)} (last: {last}); it is errored",
            SlotState.Errored => $"{label}: {last}",
            SlotState.Stopped => $"{label} exited ({last}) and autorestart is off",
            _ => $"{label} not online after {HumanDuration.Format(window)} (last exit: {last}){status}; pmx keeps trying",
        };
    }
}
