using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>Do not block on either pipe (tee(2)'s flags, as for splice).</summary>
    internal const uint SPLICE_F_NONBLOCK = 0x02;

    /// <summary>
    /// tee(2): copies up to <paramref name="length"/> bytes from the pipe <paramref name="fdIn"/> to the
    /// pipe <paramref name="fdOut"/> without taking them out of <paramref name="fdIn"/>. Returns the
    /// bytes copied; 0 when <paramref name="fdIn"/> is empty and has no writer left (end of file);
    /// -1 with errno set: EAGAIN (empty, or <paramref name="fdOut"/> full), EINVAL (not pipes).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "tee", SetLastError = true)]
    internal static partial nint tee(int fdIn, int fdOut, nuint length, uint flags);
}
