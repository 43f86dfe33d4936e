using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pmx.Interop;

internal static partial class Kernel32
{
    /// <summary>An anonymous pipe; both ends non-inheritable (null security attributes).</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool CreatePipe(out SafeFileHandle readEnd, out SafeFileHandle writeEnd, nint securityAttributes, uint size);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool SetHandleInformation(SafeHandle handle, uint mask, uint flags);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GetExitCodeProcess(SafeHandle process, out uint exitCode);
}
