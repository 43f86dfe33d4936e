using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    /// <summary>
    /// write(2). Returns the number of bytes written (possibly fewer than asked), or -1 with errno
    /// set: EINTR, EAGAIN when SO_SNDTIMEO ran out, EPIPE when the peer closed its end.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    private static partial nint write(SafeHandle fd, byte* buffer, nuint count);

    /// <summary>Writes all of <paramref name="data"/>, retrying after EINTR and short writes; 0 or the errno that stopped it.</summary>
    internal static Errno WriteAll(SafeHandle fd, ReadOnlySpan<byte> data) => WriteAll(fd, data, out _);

    /// <inheritdoc cref="WriteAll(SafeHandle, ReadOnlySpan{byte})"/>
    /// <param name="done">How many bytes went out, also when an errno stopped the rest.</param>
    internal static Errno WriteAll(SafeHandle fd, ReadOnlySpan<byte> data, out int done)
    {
        fixed (byte* start = data)
        {
            done = 0;
            while (done < data.Length)
            {
                var written = write(fd, start + done, (nuint)(data.Length - done));
                if (written >= 0) done += (int)written;
                else if (LastError != Errno.EINTR) return LastError;
            }
            return 0;
        }
    }
}
