using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    const int AddressFamilyUnix = 1;        // AF_UNIX
    const int SocketStream = 1;             // SOCK_STREAM
    const int SocketCloexec = 0x80000;      // SOCK_CLOEXEC: a worker spawned meanwhile must not inherit it

    /// <summary>socket(2). Returns the descriptor, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    /// <summary>A blocking AF_UNIX stream socket, close-on-exec; -1 with errno in <see cref="LastError"/>.</summary>
    internal static int CreateUnixStreamSocket() => socket(AddressFamilyUnix, SocketStream | SocketCloexec, 0);
}
