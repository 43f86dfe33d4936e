using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    internal const short POLLHUP = 0x010;

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(int* fds, nuint count, int timeoutMs);

    /// <summary>
    /// poll(2) of one descriptor for nothing but its hang-up, without waiting: true when a pipe's
    /// read end has no writer left (POLLHUP), which poll reports even when no event was asked for.
    /// </summary>
    internal static bool IsHungUp(int fd)
    {
        // struct pollfd { int fd; short events; short revents; }
        int* entry = stackalloc int[2];
        entry[0] = fd;
        entry[1] = 0;
        if (poll(entry, 1, 0) <= 0) return false;
        return (((short*)entry)[3] & POLLHUP) != 0;
    }
}
