using Pmx.Control;

namespace Pmx.Supervisor;

/// <summary>
/// Instance number N of an app: keeps its identity (logs, socket, restart count) across workers.
/// Its life is SlotMachine's: only AppSupervisor.Dispatch changes View.
/// </summary>
/// <param name="id">PM2's pm_id: daemon-wide, given in creation order, never reused while the daemon lives.</param>
internal sealed class Slot(int index, int id)
{
    readonly List<(Func<Slot, bool> IsDone, TaskCompletionSource Done)> _waiters = [];

    public int Index { get; } = index;
    /// <summary>The number `pmx list` shows and `pmx restart 3` takes (unlike Index, unique across apps).</summary>
    public int Id { get; } = id;
    public SlotView View { get; private set; } = SlotView.Initial;
    public SlotState State => View.State;
    /// <summary>The worker that serves (or is starting to serve) this slot.</summary>
    public Worker? Current => View.Current;
    public Worker? Incoming => View.Incoming;
    public int Restarts => View.Restarts;
    public string? LastExit { get; set; }
    /// <summary>The last EADDRINUSE line a worker of this slot printed, quoted by a failed start.</summary>
    public string? AddressInUseLine { get; set; }
    /// <summary>What the newest worker of this slot wrote last on stderr, quoted by a failed start.</summary>
    public Logs.StderrTail? LastStderr { get; set; }
    /// <summary>The last few exits, newest last, for `pmx describe`.</summary>
    public Queue<ExitRecord> RecentExits { get; } = new();
    public IDisposable? BackoffTimer { get; set; }
    /// <summary>Per-instance listen socket (reuse_port = "per_instance"); survives worker generations.</summary>
    public IListenSocket? OwnSocket { get; set; }
    /// <summary>No worker at all, draining ones included.</summary>
    public bool IsEmpty => !View.Workers.Any();

    public void Apply(SlotView next)
    {
        View = next;
        foreach (var waiter in _waiters.Where(w => w.IsDone(this)).ToList())
        {
            _waiters.Remove(waiter);
            waiter.Done.TrySetResult();
        }
    }

    /// <summary>Completes once <paramref name="isDone"/> holds (checked after every transition).</summary>
    public Task Until(Func<Slot, bool> isDone)
    {
        if (isDone(this)) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((isDone, done));
        return done.Task;
    }

    public void CancelBackoff()
    {
        BackoffTimer?.Dispose();
        BackoffTimer = null;
    }

    /// <summary>PM2's status word for `pmx list`.</summary>
    public ProcessStatus Status => State switch
    {
        SlotState.Online or SlotState.Replacing when Current is { State: WorkerState.Online } => ProcessStatus.Online,
        SlotState.Starting or SlotState.Backoff or SlotState.Replacing => ProcessStatus.Launching,
        SlotState.Online => ProcessStatus.Online,
        SlotState.Stopping => ProcessStatus.Stopping,
        SlotState.Errored => ProcessStatus.Errored,
        _ => ProcessStatus.Stopped,
    };
}
