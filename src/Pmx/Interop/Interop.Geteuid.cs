using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>geteuid(2): the effective user id. Always succeeds.</summary>
    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint geteuid();
}
