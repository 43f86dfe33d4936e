using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>Values shared by x86-64 and aarch64 (asm-generic/fcntl.h).</summary>
    internal const int O_WRONLY = 0x1, O_RDWR = 0x2, O_CREAT = 0x40, O_CLOEXEC = 0x80000;

    /// <summary>
    /// open(2) with a mode (used with O_CREAT; open is variadic, and an int in the first variadic
    /// slot is read like a fixed parameter on the ABIs pmx supports). Returns the new fd, or -1
    /// with errno set. Unlike File.OpenHandle it takes no implicit flock of its own.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);
}
