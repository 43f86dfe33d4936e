using Pmx.Processes;

namespace Pmx.Supervisor;

/// <summary>One process of one instance slot. A reload makes a new Worker; a slot outlives them.</summary>
internal sealed class Worker
{
    readonly TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Worker(string appName, int instance, int pid, DateTimeOffset startedAt)
    {
        AppName = appName;
        Instance = instance;
        Pid = pid;
        StartedAt = startedAt;
    }

    public string AppName { get; }
    public int Instance { get; }
    /// <summary>Also the process group id: every worker leads its own group.</summary>
    public int Pid { get; }
    public DateTimeOffset StartedAt { get; }
    public WorkerState State { get; private set; } = WorkerState.Launching;
    public DateTimeOffset? OnlineAt { get; private set; }
    public ExitStatus? Exit { get; private set; }
    /// <summary>Last STATUS= line the worker sent over sd_notify.</summary>
    public string? StatusText { get; set; }
    /// <summary>When the worker last sent WATCHDOG=1 (sd_notify's keep-alive ping).</summary>
    public DateTimeOffset? LastWatchdogAt { get; set; }
    /// <summary>The worker said STOPPING=1 without pmx asking it to stop.</summary>
    public bool AnnouncedStopping { get; set; }
    /// <summary>Log pipes, readiness sockets: released when the worker is reaped.</summary>
    public List<IDisposable> Resources { get; } = [];
    public CpuMeter Cpu { get; } = new();
    /// <summary>Stopped because it sent no ready signal within listen_timeout: an exit that counts as a crash.</summary>
    public bool MissedReadiness { get; set; }

    public string Label => $"{AppName}#{Instance}";
    public bool IsAlive => State != WorkerState.Exited;
    /// <summary>Completes when the worker is online; faults if it exits or is stopped first.</summary>
    public Task Online => _online.Task;
    public Task<ExitStatus> Exited => _exited.Task;

    public void MarkReady(DateTimeOffset now)
    {
        var was = State;
        State = WorkerTransitions.Next(State, WorkerEvent.BecameReady);
        if (was == WorkerState.Launching && State == WorkerState.Online)
        {
            OnlineAt = now;
            _online.TrySetResult();
        }
    }

    public void MarkStopping()
    {
        State = WorkerTransitions.Next(State, WorkerEvent.StopRequested);
        _online.TrySetException(new WorkerFailedException($"{Label} was stopped before it was ready"));
    }

    public void MarkReaped(ExitStatus status)
    {
        State = WorkerTransitions.Next(State, WorkerEvent.Reaped);
        Exit = status;
        _online.TrySetException(new WorkerFailedException($"{Label} pid {Pid} {status.Describe()} before it was ready"));
        _exited.TrySetResult(status);
        foreach (var resource in Resources) resource.Dispose();
        Resources.Clear();
    }

    public TimeSpan Uptime(DateTimeOffset now) => now - StartedAt;
}

internal sealed class WorkerFailedException(string message) : Exception(message);
