using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    const int SoReceiveTimeout = 20;   // SO_RCVTIMEO (the 64-bit struct timeval form on LP64)
    const int SoSendTimeout = 21;      // SO_SNDTIMEO

    /// <summary>setsockopt(2). Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int setsockopt(SafeHandle socket, int level, int name, void* value, uint length);

    /// <summary>
    /// SO_RCVTIMEO or SO_SNDTIMEO: a blocking read (or write, or connect to a full AF_UNIX
    /// backlog) that waits longer fails with EAGAIN. Returns 0 or the errno.
    /// </summary>
    internal static Errno SetSocketTimeout(SafeHandle socket, bool receive, TimeSpan timeout)
    {
        // struct timeval on LP64: two longs.
        var micros = (long)Math.Ceiling(timeout.TotalMicroseconds);
        long* timeval = stackalloc long[2] { micros / 1_000_000, micros % 1_000_000 };
        return setsockopt(socket, SOL_SOCKET, receive ? SoReceiveTimeout : SoSendTimeout, timeval, 16) == 0 ? 0 : LastError;
    }
}
