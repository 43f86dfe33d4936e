using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int _SC_CLK_TCK = 2;
    /// <summary>The soft RLIMIT_NOFILE: one more than the highest fd a new open may return.</summary>
    internal const int _SC_OPEN_MAX = 4;

    /// <summary>sysconf(3). Returns the value, or -1 (errno set only for an unknown name).</summary>
    [LibraryImport(Libc, EntryPoint = "sysconf", SetLastError = true)]
    internal static partial long sysconf(int name);
}
