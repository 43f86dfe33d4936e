using Microsoft.Extensions.Logging;
using Pmx.Daemon;
using Pmx.Processes;

namespace Pmx.Supervisor;

// A daemon that starts where a previous one died takes its apps over instead of starting them
// twice. The previous daemon recorded every app, slot and online worker (Snapshot, on every
// change); the keeper kept the workers' pipes and sockets. Each recorded worker that is still the
// same process (pid and start time) becomes the slot's online worker again, with its restart
// count; a slot whose worker is gone starts a new one, as after a crash. Whatever else the old
// daemon left running (a reload's new worker not yet recorded) is stopped, and the log says so.
internal sealed partial class AppSupervisor
{
    readonly Dictionary<int, long> _startTimes = [];

    /// <summary>Called on the loop after every change of apps, slots or workers (the daemon writes its state file).</summary>
    public Action? StateChanged { get; set; }

    /// <summary>The Node on-demand sockets a keeper holds, recorded with the apps (the plumbing owns them).</summary>
    public Func<IReadOnlyList<Sockets.Node.NodeListenRecord>> NodeListenRecords { get; init; } = () => [];

    /// <summary>Every app, slot and online worker, as the next daemon needs them to adopt the workers.</summary>
    public DaemonState Snapshot()
    {
        foreach (var gone in _startTimes.Keys.Where(pid => !_workersByPid.ContainsKey(pid)).ToList()) _startTimes.Remove(gone);
        var apps = _apps.Values.Select(app => new AppState(app.Spec, app.BaseEnvironment, app.ConfigPath, app.EnvName,
            app.Slots.Select(slot => new SlotRecord(slot.Index, slot.Id, slot.Restarts, RecordOf(slot.Current),
                slot.State is SlotState.Stopped or SlotState.Stopping or SlotState.Errored,
                slot.State == SlotState.Errored, slot.State == SlotState.Errored ? slot.LastExit : null)).ToList())).ToList();
        return new DaemonState(BuildInfo.Version, apps, NodeListenRecords());
    }

    WorkerRecord? RecordOf(Worker? worker)
    {
        // A launching worker is recorded too (OnlineAt null): the next daemon waits for its readiness.
        if (worker is not { State: WorkerState.Online or WorkerState.Launching }) return null;
        if (!_startTimes.TryGetValue(worker.Pid, out var ticks))
        {
            if (StartTimeOf(worker.Pid) is not { } read) return null;
            _startTimes[worker.Pid] = ticks = read;
        }
        return new WorkerRecord(worker.Pid, ticks, worker.StartedAt, worker.OnlineAt, worker.NodeChannelKey, worker.Notify?.KeeperKey, worker.Notify?.Path);
    }

    /// <summary>What tells the process apart from a later one with its pid: /proc's start time on Linux, the creation time on Windows.</summary>
    static long? StartTimeOf(int pid) =>
        OperatingSystem.IsLinux() ? ProcessStats.TryRead(pid, out var sample) ? sample.StartTimeTicks : null
        : OperatingSystem.IsWindows() ? WindowsProcessIdentity.CreationTime(pid)
        : null;

    /// <summary>Takes over the apps and live workers a dead daemon recorded (see the comment above). Runs on the loop, before any request.</summary>
    public void Adopt(DaemonState state, IWorkerAdoption adoption)
    {
        var restart = new List<(AppRuntime App, Slot Slot)>();
        var adopted = new HashSet<int>();
        foreach (var record in state.Apps)
        {
            var app = new AppRuntime(record.Spec, record.BaseEnvironment) { ConfigPath = record.ConfigPath, EnvName = record.EnvName };
            _apps[app.Name] = app;
            foreach (var slotRecord in record.Slots.OrderBy(s => s.Index))
            {
                var slot = new Slot(slotRecord.Index, slotRecord.Id);
                _nextSlotId = Math.Max(_nextSlotId, slotRecord.Id + 1);
                app.Slots.Add(slot);
                if (slotRecord.Worker is { } w && AdoptWorker(app, slot, slotRecord, w, adoption)) adopted.Add(w.Pid);
                else
                {
                    slot.Apply(SlotView.Initial with { State = slotRecord.IsErrored ? SlotState.Errored : SlotState.Stopped, Restarts = slotRecord.Restarts });
                    slot.LastExit = slotRecord.LastExit;
                    if (!slotRecord.IsStopped) restart.Add((app, slot));
                }
            }
            ArmTriggers(app);
        }
        foreach (var stray in adoption.StopStrays(adopted))
            _log.LogWarning("stopping pid {Pid} (SIGTERM, SIGKILL after 10 s): the previous daemon left it running without recording it as an app's serving worker (a reload or start it did not finish, or a worker it was stopping)", stray);
        adoption.Finish();
        if (adopted.Count > 0)
            _log.LogInformation("adopted {Workers} of {Apps} from the previous daemon (pmx {Version})",
                Plural(adopted.Count, "live worker"), Plural(state.Apps.Count, "app"), state.PmxVersion);
        else
            _log.LogInformation("took over {Apps} from the previous daemon (pmx {Version}); none of its workers was left to adopt",
                Plural(state.Apps.Count, "app"), state.PmxVersion);
        foreach (var (app, slot) in restart)
        {
            _log.LogWarning("{App}#{Index} had no live worker to adopt; starting one", app.Name, slot.Index);
            Dispatch(app, slot, SlotEvent.Start);
        }
        StateChanged?.Invoke();
    }

    bool AdoptWorker(AppRuntime app, Slot slot, SlotRecord slotRecord, WorkerRecord record, IWorkerAdoption adoption)
    {
        var label = $"{app.Name}#{slot.Index}";
        if (!adoption.TryAdopt(record.Pid, record.StartTimeTicks, out var stdout, out var stderr))
        {
            adoption.Stop(record.Pid, record.StartTimeTicks);
            _log.LogWarning("{Worker} pid {Pid} cannot be adopted ({Why}); stopped it if it ran", label, record.Pid, adoption.WhyNotAdopted);
            return false;
        }
        if (app.Spec.ExecMode == Config.ExecMode.Cluster && app.Spec.Port is not null)
        {
            var socket = adoption.TakeListenSocket(record.Pid, app.Spec);
            if (app.Spec.ReusePort == Config.ReusePortMode.PerInstance) slot.OwnSocket ??= socket;
            else if (app.SharedSocket is null) app.SharedSocket = socket;
            else socket?.Dispose();
        }
        var worker = new Worker(app, slot, record.Pid, record.StartedAt);
        if (record.OnlineAt is { } onlineAt) worker.MarkReady(onlineAt);
        _workersByPid[record.Pid] = worker;
        _startTimes[record.Pid] = record.StartTimeTicks;
        slot.Apply(SlotView.Initial with { State = worker.State == WorkerState.Online ? SlotState.Online : SlotState.Starting, Current = worker, Restarts = slotRecord.Restarts });
        slot.LastStderr = new Logs.StderrTail();
        _plumbing.AttachOutput(app.Spec, slot.Index, stdout!, stderr!, line => _loop.Post(() => OnAddressInUse(worker, line)), slot.LastStderr);
        if (record.NodeChannelKey is { } channelKey && adoption.TakeNodeChannel(channelKey) is { } channel)
        {
            worker.NodeChannelKey = channelKey;
            worker.Resources.Add(_plumbing.AttachNodeIpc(app.Spec, channel, m => _loop.Post(() => OnReadiness(worker, m))));
        }
        if (record is { NotifyKey: { } notifyKey, NotifyPath: { } notifyPath }
            && adoption.TakeNotifySocket(notifyKey, notifyPath, label, m => _loop.Post(() => OnReadiness(worker, m))) is { } notify)
        {
            worker.Notify = notify;
            worker.Resources.Add(notify.Resource);
        }
        if (worker.State == WorkerState.Launching)
        {
            // Its readiness arrives on the kept channels (sd_notify, Node IPC), or its start deadline runs out as for a spawned one.
            ArmStartDeadline(worker);
            _log.LogInformation("{Worker} pid {Pid} adopted while starting (since {Since:u}); waiting for it to be ready", label, record.Pid, worker.StartedAt);
        }
        else _log.LogInformation("{Worker} pid {Pid} adopted (online since {Since:u})", label, record.Pid, worker.OnlineAt);
        return true;
    }
}
