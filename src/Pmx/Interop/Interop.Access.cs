using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int X_OK = 1;

    /// <summary>access(2) with the real uid. Returns 0 when permitted, -1 with errno set (EACCES, ENOENT…).</summary>
    [LibraryImport(Libc, EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int access(string path, int mode);
}
