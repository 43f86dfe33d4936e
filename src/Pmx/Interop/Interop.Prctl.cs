using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int PR_SET_PDEATHSIG = 1;
    internal const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>
    /// prctl(2), with its variadic tail spelled out as four unsigned longs (unused ones are 0).
    /// Returns 0 (or an option-specific value) on success, -1 with errno set.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
