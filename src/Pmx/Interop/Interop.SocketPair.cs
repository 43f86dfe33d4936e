using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    const int SocketPairUnix = 1;           // AF_UNIX
    const int SocketPairStream = 1;         // SOCK_STREAM
    const int SocketPairSeqPacket = 5;      // SOCK_SEQPACKET
    const int SocketPairCloexec = 0x80000;  // SOCK_CLOEXEC

    /// <summary>socketpair(2). Fills sv[0] and sv[1]; returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "socketpair", SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, int* sv);

    /// <summary>A connected AF_UNIX stream pair, both ends close-on-exec.</summary>
    internal static Errno CreateUnixStreamPair(out int first, out int second) =>
        CreateUnixPair(SocketPairStream, out first, out second);

    /// <summary>
    /// A connected AF_UNIX SOCK_SEQPACKET pair, both ends close-on-exec: each send is one message
    /// with its boundaries kept, so a descriptor travels with exactly the message that names it.
    /// </summary>
    internal static Errno CreateUnixSeqPacketPair(out int first, out int second) =>
        CreateUnixPair(SocketPairSeqPacket, out first, out second);

    static Errno CreateUnixPair(int type, out int first, out int second)
    {
        int* sv = stackalloc int[2];
        if (socketpair(SocketPairUnix, type | SocketPairCloexec, 0, sv) != 0)
        {
            first = second = -1;
            return LastError;
        }
        first = sv[0];
        second = sv[1];
        return 0;
    }
}
