namespace Pmx.Daemon;

/// <summary>
/// Gives the daemon's free GC memory back to the kernel after it has served requests. The GC
/// keeps the regions it collected committed for the next allocations: after a few hundred
/// `pmx list`s that was 4 MB of private memory on a heap of under 1 MB live (bench/cli.sh,
/// /proc/PID/smaps), a quarter of the daemon's whole RSS, kept for good on an idle daemon.
/// A compacting full collection in aggressive mode decommits it; on a heap this small it takes
/// a millisecond or two, and it runs at most once per interval, only when something allocated.
/// </summary>
internal static class HeapTrimmer
{
    /// <summary>Below this much allocated since the last trim, what a trim could return is not worth a collection.</summary>
    const long TrimAfterAllocatedBytes = 256 * 1024;

    /// <summary>Checks every <paramref name="interval"/> on the timer thread; dispose the timer to stop.</summary>
    public static Timer Start(TimeSpan interval)
    {
        var allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        return new Timer(_ =>
        {
            if (GC.GetTotalAllocatedBytes() - allocatedAtLastTrim < TrimAfterAllocatedBytes) return;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        }, null, interval, interval);
    }
}
