namespace Pmx.Processes;

/// <summary>
/// One long-lived thread that performs the spawns whose workers must die with pmx.
/// PR_SET_PDEATHSIG fires when the *thread* that created the child exits, not the process
/// (prctl(2)): a worker spawned from a thread-pool thread would be SIGKILLed when the pool retires
/// that thread after a quiet spell. This thread lives as long as the process, so the signal means
/// what it says.
/// </summary>
internal sealed class SpawnThread
{
    public static SpawnThread Shared { get; } = new();

    readonly System.Collections.Concurrent.BlockingCollection<Action> _work = new();

    SpawnThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var action in _work.GetConsumingEnumerable()) action();
        })
        { IsBackground = true, Name = "pmx spawner" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the spawner thread and returns its result (or rethrows its exception).</summary>
    public T Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task.GetAwaiter().GetResult();
    }
}
