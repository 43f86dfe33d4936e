using System.Runtime.Versioning;
using Pmx.Interop;

namespace Pmx.Processes;

/// <summary>
/// A Windows process told apart from a later one given the same pid: by its creation time
/// (FILETIME, 100 ns since 1601), what /proc's start time is on Linux.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsProcessIdentity
{
    /// <summary>The creation time of live process <paramref name="pid"/>, or null when it is gone (or exited, its handle held open by someone).</summary>
    public static long? CreationTime(int pid)
    {
        using var process = Kernel32.OpenProcess(Kernel32.PROCESS_QUERY_LIMITED_INFORMATION, false, pid);
        if (process.IsInvalid) return null;
        if (!Kernel32.GetExitCodeProcess(process, out var code) || code != Kernel32.STILL_ACTIVE) return null;
        return Kernel32.GetProcessTimes(process, out var created, out _, out _, out _) ? created : null;
    }

    /// <summary>
    /// Terminates <paramref name="pid"/> if it still runs as the process created at
    /// <paramref name="creationTime"/>; another process now wearing the pid is left alone.
    /// True when it was terminated.
    /// </summary>
    public static bool TerminateIfSame(int pid, long creationTime)
    {
        using var process = Kernel32.OpenProcess(Kernel32.PROCESS_QUERY_LIMITED_INFORMATION | Kernel32.PROCESS_TERMINATE, false, pid);
        if (process.IsInvalid) return false;
        if (!Kernel32.GetExitCodeProcess(process, out var code) || code != Kernel32.STILL_ACTIVE) return false;
        if (!Kernel32.GetProcessTimes(process, out var created, out _, out _, out _) || created != creationTime) return false;
        return Kernel32.TerminateProcess(process.DangerousGetHandle(), KilledExitCode);
    }

    /// <summary>The exit code WindowsProcessHost gives a worker it kills (128 + SIGKILL), so both read alike.</summary>
    const uint KilledExitCode = 137;
}
