using System.Collections.Concurrent;

namespace Pmx.Supervisor;

/// <summary>
/// The threads that carry out spawns for the supervisor's loop (issue 11). A spawn stats the cwd
/// and the program and posix_spawn chdir's into the cwd: on a hung NFS or FUSE mount each may block
/// in uninterruptible sleep, forever. The loop hands spawns here and hears the outcome as an event,
/// so `list`, `kill` and `delete` never wait behind one. A few dedicated threads, not the pool's: a
/// spawn that never returns holds its thread for good, and the others go on with the rest.
/// </summary>
internal sealed class SpawnRunner
{
    /// <summary>One per process, like the reaper: threads that live as long as the daemon.</summary>
    public static SpawnRunner Shared { get; } = new();

    const int Threads = 4;
    readonly BlockingCollection<Action> _work = new();

    SpawnRunner()
    {
        for (var i = 0; i < Threads; i++)
        {
            new Thread(() =>
            {
                foreach (var action in _work.GetConsumingEnumerable()) action();
            })
            { IsBackground = true, Name = $"pmx spawn {i}" }.Start();
        }
    }

    /// <summary>Runs <paramref name="spawn"/> on a spawn thread; the task carries its result or exception.</summary>
    public Task<T> Run<T>(Func<T> spawn)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(spawn()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }
}
