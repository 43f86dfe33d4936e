using Microsoft.Extensions.Logging;
using Pmx.Config;
using Pmx.Processes;

namespace Pmx.Supervisor;

// Overview
// The supervisor keeps every app's slots filled with live workers. All of its state lives on the
// SupervisorLoop thread (see SupervisorLoop.cs). Workers are found by pid: a pid cannot be reused
// before pmx reaps it, and pmx removes the entry in the same step as it reaps, so a recycled pid
// can never be mistaken for an old worker.
//
// A spawned worker is Launching until it is ready: with wait_ready, until it says READY=1 (sd_notify)
// or 'ready' (Node IPC) within listen_timeout; without, once it has survived a short start grace.
// A deadline timer set at spawn enforces both. An exit pmx did not ask for goes through RestartPolicy.

/// <summary>Keeps apps running: spawn, readiness, exits, restarts, graceful stops.</summary>
internal sealed partial class Supervisor
{
    /// <summary>Without wait_ready, a worker alive this long after spawn counts as online.</summary>
    public static readonly TimeSpan MaxStartGrace = TimeSpan.FromMilliseconds(500);
    /// <summary>How long to wait for a SIGKILLed process to be reaped before reporting it stuck.</summary>
    static readonly TimeSpan ReapAfterKillTimeout = TimeSpan.FromSeconds(5);

    readonly IProcessHost _host;
    readonly IWorkerPlumbing _plumbing;
    readonly TimeProvider _time;
    readonly ILogger _log;
    readonly SupervisorLoop _loop;
    readonly Dictionary<string, AppRuntime> _apps = new(StringComparer.Ordinal);
    readonly Dictionary<int, Worker> _workersByPid = [];

    public Supervisor(IProcessHost host, IWorkerPlumbing plumbing, TimeProvider time, ILogger log, SupervisorLoop loop)
    {
        _host = host;
        _plumbing = plumbing;
        _time = time;
        _log = log;
        _loop = loop;
    }

    public IEnumerable<AppRuntime> Apps => _apps.Values;
    public bool KillWhenParentDies { get; init; }

    /// <summary>Called by the reaper on its own thread for every reaped child (orphans included).</summary>
    public void OnChildExited(int pid, ExitStatus status) => _loop.Post(() => HandleExit(pid, status));

    /// <summary>Spawns a worker for a slot. Null when it could not be spawned (the slot is then errored).</summary>
    Worker? SpawnWorker(AppRuntime app, Slot slot, Action<string>? progress)
    {
        var spec = app.Spec;
        var label = $"{spec.Name}#{slot.Index}";
        Worker? worker = null;
        NotifyChannel? notify = null;
        try
        {
            notify = _plumbing.OpenNotifyChannel(label, m => _loop.Post(() => OnReadiness(worker, m)));
            var socket = ListenSocketFor(app, slot);
            var environment = WorkerCommandLine.Environment(spec, slot.Index, app.BaseEnvironment, notify.Path);
            _plumbing.AddNodePreload(spec, environment); // pm2 branch: Node preload (DESIGN §11)
            var request = new SpawnRequest
            {
                Argv = WorkerCommandLine.Argv(spec),
                WorkingDirectory = spec.Cwd,
                Environment = environment,
                ListenSockets = socket is null ? [] : [socket.Handle],
                ListenFdNames = socket is null ? [] : [spec.Name],
                NodeIpcChannel = true,
                KillWhenParentDies = KillWhenParentDies,
            };
            var process = _host.Spawn(request);
            worker = new Worker(spec.Name, slot.Index, process.Pid, _time.GetUtcNow());
            _workersByPid[process.Pid] = worker;
            worker.Resources.Add(notify.Resource);
            // The output pipes are not the worker's resources: the log pump keeps reading them after
            // the worker is reaped, until EOF, so the last lines a crashing worker wrote are not lost.
            _plumbing.AttachOutput(spec, slot.Index, process.StdoutRead, process.StderrRead);
            var started = worker;
            if (process.NodeIpc is { } ipc)
                worker.Resources.Add(_plumbing.AttachNodeIpc(spec, ipc, m => _loop.Post(() => OnReadiness(started, m))));
            ArmStartDeadline(app, worker);
            _log.LogInformation("{Worker} started as pid {Pid}: {Command}", label, process.Pid, string.Join(' ', request.Argv));
            return worker;
        }
        catch (Exception e) when (e is SpawnException or ListenException or IOException or System.Net.Sockets.SocketException)
        {
            notify?.Resource.Dispose();
            slot.Phase = SlotPhase.Errored;
            slot.LastExit = e.Message;
            _log.LogError("{Worker} cannot start: {Reason}", label, e.Message);
            progress?.Invoke($"{label} cannot start: {e.Message}");
            return null;
        }
    }

    IListenSocket? ListenSocketFor(AppRuntime app, Slot slot)
    {
        if (app.Spec.ExecMode != ExecMode.Cluster || app.Spec.Port is null) return null;
        if (app.Spec.ReusePort == ReusePortMode.PerInstance)
        {
            return slot.OwnSocket ??= _plumbing.Listen(app.Spec);
        }
        return app.SharedSocket ??= _plumbing.Listen(app.Spec);
    }

    /// <summary>Online after the start grace, or failed after listen_timeout without a ready signal.</summary>
    void ArmStartDeadline(AppRuntime app, Worker worker)
    {
        var spec = app.Spec;
        var deadline = spec.WaitReady ? spec.ListenTimeout : StartGrace(spec);
        ITimer? timer = null;
        timer = _time.CreateTimer(_ => _loop.Post(() =>
        {
            timer?.Dispose();
            if (worker.State != WorkerState.Launching) return;
            if (!spec.WaitReady) { worker.MarkReady(_time.GetUtcNow()); return; }
            _log.LogWarning("{Worker} pid {Pid} sent no ready signal within {Timeout} (listen_timeout); stopping it",
                worker.Label, worker.Pid, HumanDuration.Format(spec.ListenTimeout));
            worker.MissedReadiness = true;
            _ = StopWorker(app, worker, progress: null);
        }), null, deadline, Timeout.InfiniteTimeSpan);
        worker.Resources.Add(timer);
    }

    static TimeSpan StartGrace(AppSpec spec) => spec.MinUptime < MaxStartGrace ? spec.MinUptime : MaxStartGrace;

    void OnReadiness(Worker? worker, ReadinessMessage message)
    {
        if (worker is null || !worker.IsAlive) return;
        if (message.Status != null) worker.StatusText = message.Status;
        if (message.IsWatchdogPing) worker.LastWatchdogAt = _time.GetUtcNow();
        if (message.IsStopping && worker.State != WorkerState.Stopping && !worker.AnnouncedStopping)
        {
            // The app is shutting down on its own; its exit will follow and go through the restart policy.
            worker.AnnouncedStopping = true;
            _log.LogInformation("{Worker} pid {Pid} announced STOPPING=1 on its own", worker.Label, worker.Pid);
        }
        if (message.IsReady && worker.State == WorkerState.Launching)
        {
            worker.MarkReady(_time.GetUtcNow());
            _log.LogInformation("{Worker} pid {Pid} is ready", worker.Label, worker.Pid);
        }
    }

    void HandleExit(int pid, ExitStatus status)
    {
        if (!_workersByPid.Remove(pid, out var worker)) return; // an orphan reaped as subreaper/PID 1
        var now = _time.GetUtcNow();
        var wasStopping = worker.State == WorkerState.Stopping;
        worker.MarkReaped(status);
        // The leader is gone; anything it left in its process group goes with it.
        _host.SignalGroup(pid, SignalNames.SIGKILL);
        _log.LogInformation("{Worker} pid {Pid} {Exit} after {Uptime}", worker.Label, pid, status.Describe(),
            HumanDuration.Format(worker.Uptime(now)));

        if (!_apps.TryGetValue(worker.AppName, out var app)) return;
        var slot = app.Slots.FirstOrDefault(s => s.Current == worker || s.Incoming == worker);
        if (slot is null) return;
        if (slot.Incoming == worker) { slot.Incoming = null; return; } // the reload that started it reports it
        slot.Current = null;
        slot.LastExit = worker.MissedReadiness ? "no ready signal within listen_timeout" : status.Describe();
        slot.RecentExits.Enqueue(new Control.ExitRecord(now, slot.LastExit, worker.Uptime(now)));
        while (slot.RecentExits.Count > 5) slot.RecentExits.Dequeue();
        if (wasStopping && !worker.MissedReadiness) return; // a stop pmx asked for: the stopper decides what's next
        if (slot.Phase != SlotPhase.Running) return; // stopped or killed meanwhile: nothing to restart
        ApplyRestartPolicy(app, slot, worker, now);
    }

    void ApplyRestartPolicy(AppRuntime app, Slot slot, Worker worker, DateTimeOffset now)
    {
        var decision = RestartPolicy.Decide(app.Spec, worker.Uptime(now), slot.UnstableExits);
        slot.UnstableExits = decision.UnstableExits;
        switch (decision.Action)
        {
            case AfterExit.Restart:
                slot.Phase = SlotPhase.Running;
                _log.LogWarning("{Worker} exited unexpectedly ({Exit}); restarting in {Delay}{Unstable}", worker.Label,
                    slot.LastExit, HumanDuration.Format(decision.Delay),
                    decision.UnstableExits > 0 ? $" (unstable exit {decision.UnstableExits} of max_restarts {app.Spec.MaxRestarts})" : "");
                ScheduleRestart(app, slot, decision.Delay);
                break;
            case AfterExit.Stop:
                slot.Phase = SlotPhase.Stopped;
                _log.LogInformation("{Worker} exited ({Exit}); autorestart is off", worker.Label, slot.LastExit);
                break;
            case AfterExit.Error:
                slot.Phase = SlotPhase.Errored;
                _log.LogError("{Worker} exited ({Exit}) {Count} times in a row, each within min_uptime {MinUptime}; giving up (max_restarts {Max}). Fix the app, then run 'pmx restart {App}'",
                    worker.Label, slot.LastExit, decision.UnstableExits, HumanDuration.Format(app.Spec.MinUptime), app.Spec.MaxRestarts, app.Name);
                break;
        }
    }

    void ScheduleRestart(AppRuntime app, Slot slot, TimeSpan delay)
    {
        slot.CancelRestart();
        slot.RestartTimer = _time.CreateTimer(_ => _loop.Post(() =>
        {
            slot.CancelRestart();
            if (slot.Phase != SlotPhase.Running || slot.Current != null || !IsCurrentSlot(app, slot)) return;
            slot.Restarts++;
            slot.Current = SpawnWorker(app, slot, progress: null);
        }), null, delay, Timeout.InfiniteTimeSpan);
    }

    bool IsCurrentSlot(AppRuntime app, Slot slot) =>
        _apps.TryGetValue(app.Name, out var current) && current == app && app.Slots.Contains(slot);

    /// <summary>
    /// The stop policy (hivemind's, per worker): kill_signal to the process group, wait kill_timeout,
    /// then SIGKILL the group. Returns a sentence for the CLI.
    /// </summary>
    async Task<string> StopWorker(AppRuntime app, Worker worker, Action<string>? progress)
    {
        if (!worker.IsAlive) return $"{worker.Label} pid {worker.Pid} had already {worker.Exit?.Describe()}";
        SignalNames.TryParse(app.Spec.KillSignal, out var signal, out var signalName);
        var began = _time.GetUtcNow();
        if (worker.State != WorkerState.Stopping)
        {
            worker.MarkStopping();
            _host.SignalGroup(worker.Pid, signal);
        }
        if (!await Completes(worker.Exited, app.Spec.KillTimeout))
        {
            var message = $"{worker.Label} pid {worker.Pid} still running {HumanDuration.Format(app.Spec.KillTimeout)} after {signalName}; sending SIGKILL (it may be ignoring {signalName}, or draining longer than kill_timeout)";
            _log.LogWarning("{Message}", message);
            progress?.Invoke(message);
            _host.SignalGroup(worker.Pid, SignalNames.SIGKILL);
            if (!await Completes(worker.Exited, ReapAfterKillTimeout))
            {
                _log.LogError("{Worker} pid {Pid} survived SIGKILL for {Timeout} (uninterruptible sleep in the kernel?)",
                    worker.Label, worker.Pid, HumanDuration.Format(ReapAfterKillTimeout));
                return $"{worker.Label} pid {worker.Pid} did not exit even after SIGKILL";
            }
        }
        var took = HumanDuration.Format(_time.GetUtcNow() - began);
        return $"{worker.Label} pid {worker.Pid} {worker.Exit?.Describe()} after {signalName} in {took}";
    }

    /// <summary>True when <paramref name="task"/> completes within <paramref name="timeout"/> (no exception either way).</summary>
    async Task<bool> Completes(Task task, TimeSpan timeout)
    {
        if (task.IsCompleted) return true;
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(timeout, _time, cancel.Token);
        var first = await Task.WhenAny(task, delay);
        cancel.Cancel();
        return first == task;
    }

    /// <summary>Stops a slot for good (stop, scale down, delete): no restart afterwards.</summary>
    async Task<string?> StopSlot(AppRuntime app, Slot slot, Action<string>? progress)
    {
        slot.CancelRestart();
        slot.Phase = SlotPhase.Stopped;
        var stops = new List<Task<string>>();
        if (slot.Incoming is { } incoming) stops.Add(StopWorker(app, incoming, progress));
        if (slot.Current is { } current) stops.Add(StopWorker(app, current, progress));
        var messages = await Task.WhenAll(stops);
        return messages.Length == 0 ? null : string.Join("; ", messages);
    }
}
