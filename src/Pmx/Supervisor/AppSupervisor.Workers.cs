using Microsoft.Extensions.Logging;
using Pmx.Config;
using Pmx.Processes;
using Pmx.Schedules;

namespace Pmx.Supervisor;

// One worker's life around the slot machine: spawn, readiness, exit, the stop policy.
// A spawned worker is Launching until it is ready: with wait_ready, until it says READY=1 (sd_notify)
// or 'ready' (Node IPC) within listen_timeout; without, once it has survived a short start grace.
// A deadline timer set at spawn enforces both.
internal sealed partial class AppSupervisor
{
    /// <summary>How long to wait for a SIGKILLed process to be reaped before reporting it stuck.</summary>
    static readonly TimeSpan ReapAfterKillTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Called by the host's exit watch on its own thread for every ended child (on Linux, orphans included).</summary>
    public void OnChildExited(int pid, ExitStatus status) => _loop.Post(() => HandleExit(pid, status));

    /// <summary>
    /// Carries out a Spawn action: prepares the request on the loop (sockets, environment), then
    /// spawns on a spawn thread. The outcome comes back to the loop as Spawned or SpawnFailed.
    /// </summary>
    void BeginSpawn(AppRuntime app, Slot slot, SpawnTicket ticket)
    {
        var spec = app.Spec;
        var spawn = new PendingSpawn(app, slot, ticket);
        SpawnRequest request;
        try
        {
            spawn.Notify = _plumbing.OpenNotifyChannel(spawn.Label, m => _loop.Post(() =>
            {
                if (spawn.Worker is { } worker) OnReadiness(worker, m);
                else spawn.Hold(m);
            }));
            var socket = ListenSocketFor(app, slot);
            var environment = WorkerCommandLine.Environment(spec, slot.Index, app.BaseEnvironment, spawn.Notify.Path);
            _plumbing.AddNodePreload(spec, environment);
            spawn.Request = request = new SpawnRequest
            {
                Argv = WorkerCommandLine.Argv(spec),
                WorkingDirectory = spec.Cwd,
                Environment = environment,
                ListenSockets = socket is null ? [] : [socket.Handle],
                ListenFdNames = socket is null ? [] : [spec.Name],
                NodeIpcChannel = true,
                KillWhenParentDies = KillWhenParentDies,
            };
        }
        catch (Exception e) when (IsSpawnFailure(e))
        {
            spawn.Notify?.Resource.Dispose();
            SpawnFailed(spawn, e.Message);
            return;
        }

        _spawnsInFlight++;
        SpawnRunner.Shared.Run(() => ticket.IsCancelled ? null : _host.Spawn(request)).ContinueWith(outcome => _loop.Post(() =>
        {
            try { SpawnReturned(spawn, outcome); }
            finally
            {
                // Exits stashed for a spawn still in flight; with none in flight, they were orphans'.
                if (--_spawnsInFlight == 0) _exitsBeforeSpawnReturned.Clear();
            }
        }), TaskScheduler.Default);
    }

    /// <summary>On the loop: a spawn's outcome becomes a worker and a Spawned event, or a SpawnFailed one.</summary>
    void SpawnReturned(PendingSpawn spawn, Task<SpawnedProcess?> outcome)
    {
        if (outcome.Exception?.InnerException is { } e)
        {
            spawn.Notify!.Resource.Dispose();
            if (!IsSpawnFailure(e)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            SpawnFailed(spawn, e.Message);
            return;
        }
        if (outcome.Result is not { } process)
        {
            spawn.Notify!.Resource.Dispose();
            Dispatch(spawn.App, spawn.Slot, new SlotEvent.SpawnFailed($"{spawn.Label}: abandoned before it was spawned", spawn.Ticket));
            return;
        }
        var worker = spawn.Worker = WorkerOf(spawn, process);
        Dispatch(spawn.App, spawn.Slot, new SlotEvent.Spawned(worker, spawn.Ticket));
        foreach (var message in spawn.HeldReadiness) OnReadiness(worker, message);
        if (_exitsBeforeSpawnReturned.Remove(process.Pid, out var status)) HandleExit(process.Pid, status);
    }

    /// <summary>
    /// What a spawn may fail with; anything else is a bug in pmx. ObjectDisposedException: the
    /// slot's listening socket was closed (stop, delete) while the spawn waited for its thread.
    /// </summary>
    static bool IsSpawnFailure(Exception e) =>
        e is SpawnException or ListenException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException;

    void SpawnFailed(PendingSpawn spawn, string reason)
    {
        _log.LogError("{Worker} cannot start: {Reason}", spawn.Label, reason);
        Dispatch(spawn.App, spawn.Slot, new SlotEvent.SpawnFailed(reason, spawn.Ticket));
    }

    /// <summary>The spawned process becomes a worker: found by pid, its output and channels attached, its start deadline armed.</summary>
    Worker WorkerOf(PendingSpawn spawn, SpawnedProcess process)
    {
        var spec = spawn.App.Spec;
        var worker = new Worker(spawn.App, spawn.Slot, process.Pid, _time.GetUtcNow());
        _workersByPid[process.Pid] = worker;
        worker.Resources.Add(spawn.Notify!.Resource);
        worker.Notify = spawn.Notify;
        // The output pipes are not the worker's resources: the log pump keeps reading them after
        // the worker is reaped, until EOF, so the last lines a crashing worker wrote are not lost.
        spawn.Slot.LastStderr = new Logs.StderrTail();
        _plumbing.AttachOutput(spec, spawn.Slot.Index, process.StdoutRead, process.StderrRead, line => _loop.Post(() => OnAddressInUse(worker, line)), spawn.Slot.LastStderr);
        if (process.NodeIpc is { } ipc)
        {
            if (OperatingSystem.IsLinux() && ipc is Sockets.Node.UnixNodeChannel unix) worker.NodeChannelKey = Keeper.KeeperLink.KeyOf(unix.Socket.SafeHandle);
            worker.Resources.Add(_plumbing.AttachNodeIpc(spec, ipc, m => _loop.Post(() => OnReadiness(worker, m))));
        }
        if (process.Handoff is { } handoff)
        {
            handoff.Attach(m => _loop.Post(() => OnReadiness(worker, m)));
            worker.Resources.Add(handoff);
        }
        ArmStartDeadline(worker);
        _log.LogInformation("{Worker} started as pid {Pid}: {Command}", worker.Label, process.Pid, string.Join(' ', spawn.Request!.Argv));
        // `pmx kill` stopped everything while this spawn was in flight: the daemon is going, and so is this worker.
        if (_life == SupervisorLife.Killed) _host.Kill(process.Pid);
        return worker;
    }

    IListenSocket? ListenSocketFor(AppRuntime app, Slot slot)
    {
        if (app.Spec.ExecMode != ExecMode.Cluster || app.Spec.Port is null) return null;
        // Windows cannot place a socket at a worker's fd 3: its Node workers get the port through the
        // preload's listen, the others over their hand-off pipe (the host's part, Pmx.Hosting's in the app).
        if (OperatingSystem.IsWindows() && Sockets.Node.NodePreload.Covers(app.Spec)) return null;
        if (app.Spec.ReusePort != ReusePortMode.PerInstance) return app.SharedSocket ??= _plumbing.Listen(app.Spec);
        if (slot.OwnSocket is { } own) return own;
        slot.OwnSocket = _plumbing.Listen(app.Spec);
        app.Reuseport.Joined(slot.OwnSocket);
        app.Reuseport.SpreadOverAll();
        return slot.OwnSocket;
    }

    /// <summary>
    /// reuse_port = "per_instance": the kernel must send new connections only to sockets a worker
    /// serves. An errored slot's socket would get 1/N of them forever, to hang unanswered; so it is
    /// closed (the kernel fills its place in the group with the last member, see ReuseportGroup)
    /// and the spread is redone over the sockets still open. A restart of the slot binds a new
    /// socket, which joins at the end of the group, and spreads again.
    /// </summary>
    void CloseSocketOfErroredSlot(AppRuntime app, Slot slot)
    {
        if (slot.State == SlotState.Errored) CloseSocketOfIdleSlot(app, slot);
    }

    /// <summary>The same for a slot stopped on its own (`pmx stop 3`) while its app's other instances serve.</summary>
    void CloseSocketOfIdleSlot(AppRuntime app, Slot slot)
    {
        if (slot.State is not (SlotState.Errored or SlotState.Stopped) || slot.OwnSocket is not { } socket) return;
        slot.OwnSocket = null;
        app.Reuseport.Close(socket);
        _log.LogWarning("{App}#{Index} is {State}; closed its listening socket so no new connection waits on it",
            app.Name, slot.Index, slot.State == SlotState.Errored ? "errored" : "stopped");
        try { app.Reuseport.SpreadOverAll(); }
        catch (ListenException e) { _log.LogError("{Message}", e.Message); }
    }

    /// <summary>
    /// Online after the start grace, or failed after listen_timeout without a ready signal; both
    /// count from the worker's start (an adopted launching worker has used part of them already).
    /// </summary>
    void ArmStartDeadline(Worker worker)
    {
        var spec = worker.App.Spec;
        var deadline = (spec.WaitReady ? spec.ListenTimeout : StartGrace(spec)) - (_time.GetUtcNow() - worker.StartedAt);
        if (deadline < TimeSpan.Zero) deadline = TimeSpan.Zero;
        worker.Resources.Add(LongTimer.Start(_time, deadline, () => _loop.Post(() =>
        {
            if (worker.State != WorkerState.Launching) return;
            if (!spec.WaitReady)
            {
                worker.MarkReady(_time.GetUtcNow());
                Dispatch(worker.App, worker.Slot, new SlotEvent.Ready(worker));
                return;
            }
            _log.LogWarning("{Worker} pid {Pid} sent no ready signal within {Timeout} (listen_timeout){Status}; stopping it",
                worker.Label, worker.Pid, HumanDuration.Format(spec.ListenTimeout), worker.StatusClause);
            Dispatch(worker.App, worker.Slot, new SlotEvent.ReadyTimedOut(worker));
        })));
    }

    static TimeSpan StartGrace(AppSpec spec) => spec.MinUptime < MaxStartGrace ? spec.MinUptime : MaxStartGrace;

    void OnReadiness(Worker? worker, ReadinessMessage message)
    {
        if (worker is null || !worker.IsAlive) return;
        if (message.Status != null) worker.StatusText = message.Status;
        if (message.IsWatchdogPing) worker.LastWatchdogAt = _time.GetUtcNow();
        if (message.IsStopping && worker.State != WorkerState.Stopping && worker.AnnouncedStoppingAt is null)
        {
            // The app is shutting down on its own; its exit will follow and go through the restart policy.
            worker.AnnouncedStoppingAt = _time.GetUtcNow();
            _log.LogInformation("{Worker} pid {Pid} announced STOPPING=1 on its own", worker.Label, worker.Pid);
        }
        if (message.IsReady && worker.State == WorkerState.Launching)
        {
            worker.MarkReady(_time.GetUtcNow());
            _log.LogInformation("{Worker} pid {Pid} is ready", worker.Label, worker.Pid);
            Dispatch(worker.App, worker.Slot, new SlotEvent.Ready(worker));
        }
    }

    void HandleExit(int pid, ExitStatus status)
    {
        if (!_workersByPid.Remove(pid, out var worker))
        {
            // The reaper may hear of an instant exit before the spawn's outcome reaches the loop;
            // otherwise it is an orphan reaped as subreaper/PID 1. Forgotten once no spawn is in flight.
            if (_spawnsInFlight > 0) _exitsBeforeSpawnReturned[pid] = status;
            return;
        }
        var now = _time.GetUtcNow();
        // What the leader left in its process group is gone too: the host SIGKILLs the group before
        // it reaps the leader (IProcessHost.SignalGroup), while the zombie still pins the group id.
        worker.MarkReaped(status);
        _log.LogInformation("{Worker} pid {Pid} {Exit} after {Uptime}", worker.Label, pid, status.Describe(),
            HumanDuration.Format(worker.Uptime(now)));
        Dispatch(worker.App, worker.Slot, new SlotEvent.Exited(worker, worker.Uptime(now)));
    }

    /// <summary>
    /// The stop policy (hivemind's, per worker): the host's graceful stop for kill_signal (Linux: the
    /// signal to the process group), wait kill_timeout, then kill the tree. Returns a sentence for the CLI.
    /// </summary>
    async Task<string> StopWorker(AppRuntime app, Worker worker, StopCause cause)
    {
        if (!worker.IsAlive) return $"{worker.Label} pid {worker.Pid} had already {worker.Exit?.Describe()}";
        SignalNames.TryParse(app.Spec.KillSignal, out var signal, out var signalName);
        var killTimeout = app.Spec.KillTimeout;
        var began = _time.GetUtcNow();
        if (worker.State != WorkerState.Stopping)
        {
            worker.MarkStopping(cause);
            ReportUndelivered(worker, _host.Stop(worker.Pid, signal), signalName);
        }
        if (!await Completes(worker.Exited, killTimeout))
        {
            var message = $"{worker.Label} pid {worker.Pid} still running {HumanDuration.Format(killTimeout)} after {signalName}; sending SIGKILL (it may be ignoring {signalName}, or draining longer than kill_timeout)";
            _log.LogWarning("{Message}", message);
            ReportUndelivered(worker, _host.Kill(worker.Pid), "SIGKILL");
            if (!await Completes(worker.Exited, ReapAfterKillTimeout))
            {
                _log.LogError("{Worker} pid {Pid} survived SIGKILL for {Timeout} (uninterruptible sleep in the kernel?)",
                    worker.Label, worker.Pid, HumanDuration.Format(ReapAfterKillTimeout));
                return $"{worker.Label} pid {worker.Pid} did not exit even after SIGKILL";
            }
            return $"{message}; {worker.Exit?.Describe()}";
        }
        var took = HumanDuration.Format(_time.GetUtcNow() - began);
        return $"{worker.Label} pid {worker.Pid} {worker.Exit?.Describe()} after {signalName} in {took}";
    }

    /// <summary>ESRCH means it exited already (its reaping is on the way); EPERM is worth a line in the log, never a crash.</summary>
    void ReportUndelivered(Worker worker, SignalOutcome outcome, string signalName)
    {
        if (outcome is SignalOutcome.Delivered or SignalOutcome.NoSuchProcess) return;
        _log.LogWarning("{Worker} pid {Pid}: {Signal} not delivered ({Outcome})", worker.Label, worker.Pid, signalName, outcome);
    }

    /// <summary>True when <paramref name="task"/> completes within <paramref name="timeout"/> (no exception either way).</summary>
    async Task<bool> Completes(Task task, TimeSpan timeout)
    {
        if (task.IsCompleted) return true;
        using var cancel = new CancellationTokenSource();
        var delay = LongTimer.Delay(_time, timeout, cancel.Token);
        var first = await Task.WhenAny(task, delay);
        cancel.Cancel();
        return first == task;
    }
}
