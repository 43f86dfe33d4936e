using System.Collections.Concurrent;

namespace Pmx.Supervisor;

// Overview
// Every piece of supervisor state (apps, slots, workers, timers) is owned by one thread. OS events
// (child exits, readiness datagrams, log EOFs), control requests and timers arrive from other
// threads and are posted here; async operations (a reload waiting for readiness, a stop waiting
// out kill_timeout) are plain async methods whose continuations also run here, because this loop
// is their SynchronizationContext. So the supervisor needs no locks, and a reload reads top to
// bottom like its description in DESIGN §5.

/// <summary>A single-threaded event loop that is also the SynchronizationContext of its work.</summary>
internal sealed class SupervisorLoop : SynchronizationContext, IDisposable
{
    readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    readonly Thread _thread;

    public SupervisorLoop(string name = "pmx-supervisor")
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    public bool IsOnLoopThread => Thread.CurrentThread == _thread;

    public override void Post(SendOrPostCallback d, object? state)
    {
        try { _queue.Add((d, state)); }
        catch (InvalidOperationException) { /* loop disposed: the daemon is exiting, late events are moot */ }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the supervisor loop never blocks a caller; use Post or InvokeAsync");

    public override SynchronizationContext CreateCopy() => this;

    public void Post(Action action) => Post(static s => ((Action)s!)(), action);

    /// <summary>Runs <paramref name="work"/> on the loop and completes with its result.</summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async () =>
        {
            try { done.SetResult(await work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    public Task InvokeAsync(Func<Task> work) => InvokeAsync(async () => { await work(); return true; });

    public Task InvokeAsync(Action work) => InvokeAsync(() => { work(); return Task.FromResult(true); });

    void Run()
    {
        SetSynchronizationContext(this);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            try { callback(state); }
            catch (Exception e)
            {
                // An exception escaping an event handler means supervisor state may be half-updated;
                // carrying on would supervise from a lie.
                Environment.FailFast("pmx internal error in the supervisor loop: " + e);
            }
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (!IsOnLoopThread) _thread.Join(TimeSpan.FromSeconds(5));
    }
}
