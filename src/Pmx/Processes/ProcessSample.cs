namespace Pmx.Processes;

/// <param name="CpuTicks">utime + stime, in clock ticks (<see cref="ProcessStats.ClockTicksPerSecond"/>).</param>
/// <param name="RssBytes">Resident set size.</param>
/// <param name="StartTimeTicks">Start time in clock ticks after boot: with the pid, identifies the process across pid reuse.</param>
/// <param name="ProcessGroupId">The process group it belongs to.</param>
public readonly record struct ProcessSample(long CpuTicks, long RssBytes, long StartTimeTicks, int ProcessGroupId);
