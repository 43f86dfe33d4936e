using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>
    /// read(2). Returns the number of bytes read, 0 at end of file (every write end of a pipe
    /// closed), or -1 with errno set: EAGAIN on an empty non-blocking pipe, EINTR when a signal
    /// interrupted the call.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint read(int fd, byte* buffer, nuint count);

    /// <summary>The errno values of read(2) that are expected states, not failures.</summary>
    internal enum ReadErrno
    {
        EINTR = 4,
        EAGAIN = 11,
    }
}
