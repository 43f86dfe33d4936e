using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>
    /// dup2(2): makes <paramref name="newFd"/> refer to what <paramref name="oldFd"/> refers to, closing
    /// what it referred to before in the same step. Returns newFd, or -1 with errno set.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int dup2(int oldFd, int newFd);
}
