namespace Pmx.TestWorker;

/// <summary>
/// Grows resident memory at a steady rate so pmx's max_memory_restart can be tested. Pages are
/// written, not just allocated: the kernel maps untouched pages lazily and they would not count in RSS.
/// </summary>
static class MemoryGrowth
{
    const int PageBytes = 4096;
    static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(double megabytesPerSecond, Output output)
    {
        var kept = new List<byte[]>();
        var bytesPerTick = (int)Math.Max(PageBytes, megabytesPerSecond * 1024 * 1024 * Tick.TotalSeconds);
        long allocated = 0;
        using var timer = new PeriodicTimer(Tick);
        for (var tick = 1; await timer.WaitForNextTickAsync(); tick++)
        {
            var chunk = GC.AllocateUninitializedArray<byte>(bytesPerTick);
            for (var i = 0; i < chunk.Length; i += PageBytes) chunk[i] = 1;
            kept.Add(chunk);
            allocated += chunk.Length;
            if (tick % 10 == 0) output.Line($"rss={ResidentMegabytes()}MB allocated={allocated / (1024 * 1024)}MB");
        }
    }

    /// <summary>VmRSS of /proc/self/status (proc(5)), in whole megabytes.</summary>
    static long ResidentMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) / 1024;
        return -1;
    }
}
