using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int LOCK_EX = 2, LOCK_NB = 4;

    /// <summary>
    /// flock(2): an advisory lock on the open file description, released when its last descriptor
    /// closes (so when the process dies, however it dies). Returns 0, or -1 with errno set
    /// (EWOULDBLOCK, which is EAGAIN on Linux, when LOCK_NB and another description holds it).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    internal static partial int flock(int fd, int operation);
}
