using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>waitpid option: return 0 instead of blocking when no child has changed state.</summary>
    internal const int WNOHANG = 1;

    /// <summary>
    /// waitpid(2). Returns the reaped pid with its wait status, 0 with WNOHANG when no child has
    /// exited yet, or -1 with errno set (ECHILD: no children left to wait for, EINTR: retry).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int waitpid(int pid, out int status, int options);
}
