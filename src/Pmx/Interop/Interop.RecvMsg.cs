using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    internal const int SOL_SOCKET = 1, SO_PASSCRED = 16, SCM_CREDENTIALS = 2;
    const int MSG_DONTWAIT = 0x40, MSG_CMSG_CLOEXEC = 0x40000000;

    // LP64 layouts shared by x86-64 and aarch64 (bits/socket.h); msghdr and iovec are MessageHeader
    // and IoVector (Interop.SendMsg.cs):
    // struct cmsghdr { size_t len; int level; int type; data… }   struct ucred { pid_t pid; uid_t uid; gid_t gid; }
    const int CmsgHeaderBytes = 16, UcredBytes = 12;
    // CMSG_SPACE(sizeof(struct ucred)): room for the credentials and nothing else, so descriptors a
    // sender attaches (SCM_RIGHTS) never fit, and the kernel closes them instead of installing them.
    const int CredentialsControlBytes = CmsgHeaderBytes + 16;
    // CMSG_SPACE(sizeof(int)): one descriptor, padded to 8.
    const int OneDescriptorControlBytes = CmsgHeaderBytes + 8;

    /// <summary>The sender's pid, uid and gid, filled in and checked by the kernel (SCM_CREDENTIALS).</summary>
    internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid);

    [LibraryImport(Libc, EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint recvmsg(SafeHandle socket, MessageHeader* message, int flags);

    /// <summary>
    /// recvmsg(2) of one datagram without blocking, with the sender's credentials (the socket must
    /// have SO_PASSCRED). Returns the datagram's length (truncated to the buffer), or -1 with errno
    /// set (EAGAIN: nothing queued). <paramref name="sender"/> is null when no credentials came.
    /// </summary>
    internal static int ReceiveWithCredentials(SafeHandle socket, Span<byte> buffer, out PeerCredentials? sender)
    {
        Span<byte> ucred = stackalloc byte[UcredBytes];
        var received = ReceiveWithControl(socket, buffer, MSG_DONTWAIT | MSG_CMSG_CLOEXEC, CredentialsControlBytes, SCM_CREDENTIALS, ucred, out var hasCredentials);
        sender = received >= 0 && hasCredentials
            ? new PeerCredentials(MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]))
            : null;
        return received;
    }

    /// <summary>
    /// recvmsg(2) of one message, blocking, with at most one SCM_RIGHTS descriptor installed
    /// close-on-exec into <paramref name="fd"/> (-1 when none came). Returns the message's length,
    /// 0 when the peer has closed, or -1 with errno set (EINTR: retry).
    /// </summary>
    internal static int ReceiveWithDescriptor(SafeHandle socket, Span<byte> buffer, out int fd)
    {
        Span<byte> descriptor = stackalloc byte[sizeof(int)];
        var received = ReceiveWithControl(socket, buffer, MSG_CMSG_CLOEXEC, OneDescriptorControlBytes, ScmRights, descriptor, out var hasDescriptor);
        fd = received >= 0 && hasDescriptor ? MemoryMarshal.Read<int>(descriptor) : -1;
        return received;
    }

    /// <summary>
    /// recvmsg(2) of one message into <paramref name="buffer"/> with a control area of
    /// <paramref name="controlBytes"/>. When the first control message is SOL_SOCKET /
    /// <paramref name="type"/> with at least <paramref name="payload"/>'s length of data, that data
    /// is copied into <paramref name="payload"/>. Returns the length, or -1 with errno set.
    /// </summary>
    static int ReceiveWithControl(SafeHandle socket, Span<byte> buffer, int flags, int controlBytes, int type, Span<byte> payload, out bool hasPayload)
    {
        hasPayload = false;
        byte* control = stackalloc byte[controlBytes];
        new Span<byte>(control, controlBytes).Clear();
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var header = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = (nuint)controlBytes };
            var received = (int)recvmsg(socket, &header, flags);
            if (received < 0) return received;
            var needed = (nuint)(CmsgHeaderBytes + payload.Length);
            if (header.ControlLength >= needed && *(nuint*)control >= needed
                && *(int*)(control + 8) == SOL_SOCKET && *(int*)(control + 12) == type)
            {
                new ReadOnlySpan<byte>(control + CmsgHeaderBytes, payload.Length).CopyTo(payload);
                hasPayload = true;
            }
            return received;
        }
    }
}
