using System.Runtime.Versioning;
using Pmx.Interop;

namespace Pmx.Processes;

/// <summary>
/// CPU time and memory of a live Windows process, for `pmx list` and max_memory_restart: what
/// ProcessStats reads from /proc on Linux. Memory is the working set (the resident set's
/// counterpart); CPU is kernel + user time. Under Wine both come from the Unix process.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsProcessStats
{
    /// <summary>Null when the process is gone or cannot be queried.</summary>
    public static unsafe (TimeSpan Cpu, long WorkingSetBytes)? TryRead(int pid)
    {
        using var process = Kernel32.OpenProcess(Kernel32.PROCESS_QUERY_LIMITED_INFORMATION | Kernel32.PROCESS_VM_READ, false, pid);
        if (process.IsInvalid) return null;
        if (!Kernel32.GetProcessTimes(process, out _, out _, out var kernel, out var user)) return null;
        var counters = new Kernel32.ProcessMemoryCounters { Size = (uint)sizeof(Kernel32.ProcessMemoryCounters) };
        if (!Kernel32.GetProcessMemoryInfo(process, &counters, counters.Size)) return null;
        return (TimeSpan.FromTicks(kernel + user), (long)counters.WorkingSetSize);
    }
}
