using System.Globalization;
using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>
/// Marks every descriptor above the ones a worker is meant to get close-on-exec, so whatever the
/// daemon inherited without the flag (a terminal's or a CI runner's stray fds) never reaches an app.
/// </summary>
/// <remarks>
/// close_range(CLOSE_RANGE_CLOEXEC) does it in one call but needs Linux 5.11; older kernels (and
/// seccomp filters that do not know the call) answer ENOSYS or EINVAL. Then the open descriptors
/// are listed in /proc/self/fd and marked one by one; without /proc, every number below the
/// RLIMIT_NOFILE soft limit is tried. Marking instead of closing keeps the .NET runtime's own
/// descriptors valid until the execve that drops them.
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class InheritedDescriptors
{
    const string OpenDescriptorsDirectory = "/proc/self/fd";

    public static void MarkCloseOnExecAbove(int highestKept)
    {
        var first = (uint)highestKept + 1;
        if (close_range(first, uint.MaxValue, CLOSE_RANGE_CLOEXEC) == 0) return;
        if (MarkCloseOnExecListed(OpenDescriptorsDirectory, first, uint.MaxValue)) return;
        MarkCloseOnExecBelowLimit(first);
    }

    /// <summary>
    /// The fallback for kernels without close_range's CLOEXEC flag: marks each descriptor listed in
    /// <paramref name="descriptorDirectory"/> within [first, last]. False when the directory cannot be read.
    /// </summary>
    public static bool MarkCloseOnExecListed(string descriptorDirectory, uint first, uint last)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(descriptorDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        // The listing's own directory descriptor is among the entries; it is closed by now (EBADF, ignored).
        foreach (var entry in entries)
        {
            if (uint.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd >= first && fd <= last)
                MarkCloseOnExec((int)fd);
        }
        return true;
    }

    static void MarkCloseOnExecBelowLimit(uint first)
    {
        var limit = sysconf(_SC_OPEN_MAX);
        for (long fd = first; fd < limit && fd <= int.MaxValue; fd++) MarkCloseOnExec((int)fd);
    }

    static void MarkCloseOnExec(int fd)
    {
        var flags = fcntl(fd, F_GETFD, 0);
        if (flags >= 0 && (flags & FD_CLOEXEC) == 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}
