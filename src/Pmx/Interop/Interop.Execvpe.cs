using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>
    /// execvpe(3): replaces this process image. argv and envp end with a null element. The file is
    /// searched on the PATH of this process's own environ (not envp's). Returns only on failure:
    /// -1 with errno set (ENOENT not found, EACCES not executable, …).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "execvpe", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int execvpe(string file, string?[] argv, string?[] envp);
}
