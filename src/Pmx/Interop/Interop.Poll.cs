using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    internal const short POLLIN = 0x001, POLLHUP = 0x010;

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(int* fds, nuint count, int timeoutMs);

    /// <summary>
    /// poll(2) of one descriptor for <paramref name="events"/>, without waiting: the events it
    /// reports (POLLHUP is reported even when not asked for: a pipe's read end with no writer
    /// left; POLLIN on a pidfd: the process has exited). 0 when none, or when poll fails.
    /// </summary>
    internal static short PollNow(int fd, short events)
    {
        // struct pollfd { int fd; short events; short revents; }
        int* entry = stackalloc int[2];
        entry[0] = fd;
        ((short*)entry)[2] = events;
        ((short*)entry)[3] = 0;
        if (poll(entry, 1, 0) <= 0) return 0;
        return ((short*)entry)[3];
    }

    internal static bool IsHungUp(int fd) => (PollNow(fd, 0) & POLLHUP) != 0;
}
