using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>
    /// kill(2). pid &gt; 0 targets one process, -pgid a whole process group.
    /// Returns 0 on success, -1 with errno set (ESRCH: nothing to signal, EPERM: not ours).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    internal static partial int kill(int pid, int signal);
}
