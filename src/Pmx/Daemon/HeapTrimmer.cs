namespace Pmx.Daemon;

/// <summary>
/// Gives the daemon's free GC memory back to the kernel after it has served requests. The GC
/// keeps the regions it collected committed for the next allocations: after a few hundred
/// `pmx list`s that was 4 MB of private memory on a heap of under 1 MB live (bench/cli.sh,
/// /proc/PID/smaps), a quarter of the daemon's whole RSS, kept for good on an idle daemon.
/// A compacting full collection in aggressive mode decommits it; on a heap this small it takes
/// a millisecond or two.
/// </summary>
/// <remarks>
/// The trigger is the heap's committed memory as the last collection left it, not the bytes
/// allocated: an idle daemon's own sampling allocates a little every tick, is collected in gen0
/// and commits nothing new, and a collection every tick for it cost five times the idle CPU.
/// </remarks>
internal static class HeapTrimmer
{
    /// <summary>Below this much growth since the last trim, what a trim could return is not worth a full collection.</summary>
    const long TrimAfterGrowthBytes = 256 * 1024;

    /// <summary>Checks every <paramref name="interval"/> on the timer thread; dispose the timer to stop.</summary>
    public static Timer Start(TimeSpan interval)
    {
        // Zero: the first tick trims what start-up (config, spawning, adoption) left behind.
        var committedAfterTrim = 0L;
        return new Timer(_ =>
        {
            if (CommittedBytes() - committedAfterTrim < TrimAfterGrowthBytes) return;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            committedAfterTrim = CommittedBytes();
        }, null, interval, interval);
    }

    /// <summary>The managed heap's committed memory when the last collection ended.</summary>
    static long CommittedBytes() => GC.GetGCMemoryInfo().TotalCommittedBytes;
}
