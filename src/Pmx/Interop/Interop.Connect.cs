using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    /// <summary>sun_path of struct sockaddr_un on Linux: 108 bytes, the last path byte followed by a NUL.</summary>
    internal const int UnixPathCapacity = 108;

    /// <summary>connect(2). Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    private static partial int connect(SafeHandle socket, byte* address, uint addressLength);

    /// <summary>
    /// Connects an AF_UNIX socket to the file at <paramref name="path"/> (UTF-8, at most
    /// <see cref="UnixPathCapacity"/> - 1 bytes). Returns 0, or the errno: ENOENT (no such file),
    /// ECONNREFUSED (nobody listens), EAGAIN (the listener's backlog stayed full for SO_SNDTIMEO).
    /// </summary>
    internal static Errno ConnectUnix(SafeHandle socket, ReadOnlySpan<byte> path)
    {
        const int FamilyBytes = 2; // sa_family_t
        if (path.Length >= UnixPathCapacity) return Errno.ENAMETOOLONG;
        byte* address = stackalloc byte[FamilyBytes + UnixPathCapacity];
        new Span<byte>(address, FamilyBytes + UnixPathCapacity).Clear();
        *(ushort*)address = AddressFamilyUnix;
        path.CopyTo(new Span<byte>(address + FamilyBytes, UnixPathCapacity));
        while (true)
        {
            if (connect(socket, address, (uint)(FamilyBytes + path.Length + 1)) == 0) return 0;
            if (LastError != Errno.EINTR) return LastError;
        }
    }
}
