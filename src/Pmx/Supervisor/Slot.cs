using Pmx.Control;

namespace Pmx.Supervisor;

/// <summary>What an instance slot is meant to be doing, independent of its current process.</summary>
internal enum SlotPhase
{
    /// <summary>Should run: a worker is alive, or a restart is scheduled.</summary>
    Running,
    /// <summary>Stopped by the user, or exited with autorestart off.</summary>
    Stopped,
    /// <summary>Gave up after max_restarts unstable exits, or could not be spawned.</summary>
    Errored,
}

/// <summary>Instance number N of an app: keeps its identity (logs, socket, restart count) across workers.</summary>
internal sealed class Slot(int index)
{
    public int Index { get; } = index;
    public SlotPhase Phase { get; set; } = SlotPhase.Running;
    /// <summary>The worker that serves (or is starting to serve) this slot.</summary>
    public Worker? Current { get; set; }
    /// <summary>The replacement being started by a reload, until it is online.</summary>
    public Worker? Incoming { get; set; }
    public int Restarts { get; set; }
    public int UnstableExits { get; set; }
    public string? LastExit { get; set; }
    /// <summary>The last few exits, newest last, for `pmx describe`.</summary>
    public Queue<ExitRecord> RecentExits { get; } = new();
    public ITimer? RestartTimer { get; set; }
    /// <summary>Per-instance listen socket (reuse_port = "per_instance"); survives worker generations.</summary>
    public IListenSocket? OwnSocket { get; set; }

    public void CancelRestart()
    {
        RestartTimer?.Dispose();
        RestartTimer = null;
    }

    /// <summary>PM2's status word for `pmx list`.</summary>
    public ProcessStatus Status => Current switch
    {
        { State: WorkerState.Launching } => ProcessStatus.Launching,
        { State: WorkerState.Online } => ProcessStatus.Online,
        { State: WorkerState.Stopping } => ProcessStatus.Stopping,
        _ => Phase switch
        {
            SlotPhase.Running => ProcessStatus.Launching,
            SlotPhase.Errored => ProcessStatus.Errored,
            _ => ProcessStatus.Stopped,
        },
    };
}
