using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Pmx.Processes;

/// <summary>
/// Runs the checks made before a spawn (stat/access on the cwd and the program) on a thread of
/// their own, and waits for them only so long (issue 11).
/// </summary>
/// <remarks>
/// A path on an unresponsive NFS or FUSE mount blocks stat(2) without end, in uninterruptible
/// sleep: nothing can cancel it. Spawns run on the supervisor's spawn threads (SpawnRunner), so
/// the loop keeps answering `list` and `kill` whatever happens here; this deadline keeps a spawn
/// thread from being lost to one hung path and turns the hang into a failed start whose message
/// says why (the slot goes errored instead of launching forever). The stuck thread is left behind
/// (it is all that can be done with it); while it is stuck, another spawn with the same paths
/// fails at once instead of leaving another thread behind.
/// </remarks>
internal sealed class DeadlinedFileChecks(TimeSpan deadline)
{
    readonly ConcurrentDictionary<string, Task> _stuck = new(StringComparer.Ordinal);

    public TimeSpan Deadline { get; } = deadline;

    /// <summary>Runs <paramref name="check"/>; its <see cref="SpawnException"/> comes through as is.</summary>
    /// <param name="paths">What the check touches, for the key of a stuck check and for the message.</param>
    /// <exception cref="SpawnException">The check failed, or did not finish within the deadline.</exception>
    public void Run(string program, string paths, Action check)
    {
        if (_stuck.TryGetValue(paths, out var stuck) && !stuck.IsCompleted)
            throw new SpawnException(program, $"cannot start '{program}': an earlier check of {paths} has still not returned; " +
                                              "its filesystem looks hung (an unresponsive NFS or FUSE mount?)");

        // A thread of its own, not the pool's: a check that never returns must not hold a pool thread.
        var task = Task.Factory.StartNew(check, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        bool finished;
        try { finished = task.Wait(Deadline); }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw; // unreachable: Throw does not return
        }
        if (finished) return;

        _stuck[paths] = task;
        task.ContinueWith(_ => _stuck.TryRemove(new KeyValuePair<string, Task>(paths, task)), TaskScheduler.Default);
        throw new SpawnException(program, $"cannot start '{program}': checking {paths} did not finish within " +
                                          $"{Deadline.TotalSeconds:0.#} s; its filesystem looks hung (an unresponsive NFS or FUSE mount?)");
    }
}
