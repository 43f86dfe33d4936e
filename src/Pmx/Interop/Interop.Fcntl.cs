using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
    /// <summary>Sets a pipe's capacity in bytes (rounded up to a power-of-two number of pages; at most /proc/sys/fs/pipe-max-size unprivileged).</summary>
    internal const int F_SETPIPE_SZ = 1031;
    /// <summary>The descriptor flag F_GETFD/F_SETFD read and write: close this fd on execve.</summary>
    internal const int FD_CLOEXEC = 1;
    /// <summary>Values shared by x86-64 and aarch64 (asm-generic/fcntl.h).</summary>
    internal const int O_APPEND = 0x400, O_NONBLOCK = 0x800;

    /// <summary>
    /// fcntl(2) for the commands that take an int argument (F_DUPFD, F_GETFD, F_SETFD, F_GETFL,
    /// F_SETFL, F_SETPIPE_SZ). fcntl is variadic; on the Linux ABIs pmx supports an int passed in the first
    /// variadic slot is read the same way as a fixed int parameter. Returns the new fd (F_DUPFD),
    /// the flags (F_GETFD, F_GETFL), 0 (F_SETFD, F_SETFL), or -1 with errno set (EBADF: not open).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int fcntl(int fd, int command, int argument);

    /// <summary>Adds <paramref name="flags"/> to the file status flags; returns false with errno set on failure.</summary>
    internal static bool TryAddStatusFlags(int fd, int flags)
    {
        var current = fcntl(fd, F_GETFL, 0);
        if (current < 0) return false;
        if ((current & flags) == flags) return true;
        return fcntl(fd, F_SETFL, current | flags) == 0;
    }
}
