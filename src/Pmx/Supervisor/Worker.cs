using Pmx.Processes;

namespace Pmx.Supervisor;

/// <summary>
/// One process of one instance slot. A reload makes a new Worker; a slot outlives them. Created
/// only by a slot's Spawn action, so every worker belongs to exactly one slot.
/// </summary>
internal sealed class Worker
{
    readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Worker(AppRuntime app, Slot slot, int pid, DateTimeOffset startedAt)
    {
        App = app;
        Slot = slot;
        Pid = pid;
        StartedAt = startedAt;
    }

    public AppRuntime App { get; }
    public Slot Slot { get; }
    public string AppName => App.Name;
    public int Instance => Slot.Index;
    /// <summary>Also the process group id: every worker leads its own group.</summary>
    public int Pid { get; }
    public DateTimeOffset StartedAt { get; }
    public WorkerState State { get; private set; } = WorkerState.Launching;
    public DateTimeOffset? OnlineAt { get; private set; }
    public ExitStatus? Exit { get; private set; }
    /// <summary>Why pmx stopped it; null while pmx has not asked it to stop.</summary>
    public StopCause? StopCause { get; private set; }
    /// <summary>The stop policy's sentence for the CLI, once pmx has asked the worker to stop.</summary>
    public Task<string>? StopReport { get; set; }
    /// <summary>Last STATUS= line the worker sent over sd_notify.</summary>
    public string? StatusText { get; set; }
    /// <summary>When the worker last sent WATCHDOG=1 (sd_notify's keep-alive ping).</summary>
    public DateTimeOffset? LastWatchdogAt { get; set; }
    /// <summary>When the worker said STOPPING=1 without pmx asking it to stop.</summary>
    public DateTimeOffset? AnnouncedStoppingAt { get; set; }
    /// <summary>Log pipes, readiness sockets: released when the worker is reaped.</summary>
    public List<IDisposable> Resources { get; } = [];
    public CpuMeter Cpu { get; } = new();
    /// <summary>The stderr line in which the worker said its port was taken (EADDRINUSE); null if it has not.</summary>
    public string? AddressInUseLine { get; set; }
    /// <summary>The keeper's key of the daemon's end of the worker's Node IPC channel (Linux), recorded so the next daemon hears the worker.</summary>
    public string? NodeChannelKey { get; set; }
    /// <summary>The worker's sd_notify socket (its NOTIFY_SOCKET and keeper key), recorded so the next daemon hears the worker.</summary>
    public NotifyChannel? Notify { get; set; }

    public string Label => $"{AppName}#{Instance}";
    public bool IsAlive => State != WorkerState.Exited;
    public Task<ExitStatus> Exited => _exited.Task;

    public void MarkReady(DateTimeOffset now)
    {
        var was = State;
        State = WorkerTransitions.Next(State, WorkerEvent.BecameReady);
        if (was == WorkerState.Launching && State == WorkerState.Online) OnlineAt = now;
    }

    public void MarkStopping(StopCause cause)
    {
        StopCause ??= cause;
        State = WorkerTransitions.Next(State, WorkerEvent.StopRequested);
    }

    public void MarkReaped(ExitStatus status)
    {
        State = WorkerTransitions.Next(State, WorkerEvent.Reaped);
        Exit = status;
        _exited.TrySetResult(status);
        foreach (var resource in Resources) resource.Dispose();
        Resources.Clear();
    }

    public TimeSpan Uptime(DateTimeOffset now) => now - StartedAt;

    /// <summary>"; its status: …" when the worker (or pmx on its behalf) said one: often the reason it is not ready.</summary>
    public string StatusClause => StatusText is { } status ? $"; its status: {status}" : "";

    /// <summary>Why a worker that was meant to come online did not.</summary>
    public string WhyNotOnline(TimeSpan listenTimeout) => StopCause == Pmx.Supervisor.StopCause.MissedReadiness
        ? $"{Label} pid {Pid} sent no ready signal within {HumanDuration.Format(listenTimeout)} (listen_timeout){StatusClause}"
        : $"{Label} pid {Pid} {Exit?.Describe() ?? "was stopped"} before it was online";
}
