using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>setsid(2). Returns the new session id, or -1 with errno set (EPERM: already a group leader).</summary>
    [LibraryImport(Libc, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int setsid();

    /// <summary>getppid(2). Always succeeds.</summary>
    [LibraryImport(Libc, EntryPoint = "getppid")]
    internal static partial int getppid();

    /// <summary>getpid(2). Always succeeds; cheaper than Environment.ProcessId's first call in the exec shim.</summary>
    [LibraryImport(Libc, EntryPoint = "getpid")]
    internal static partial int getpid();
}
