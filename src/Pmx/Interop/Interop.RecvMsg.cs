using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    internal const int SOL_SOCKET = 1, SO_PASSCRED = 16, SCM_CREDENTIALS = 2;
    const int MSG_DONTWAIT = 0x40, MSG_CMSG_CLOEXEC = 0x40000000;

    // LP64 layouts shared by x86-64 and aarch64 (bits/socket.h):
    // struct msghdr { void* name; socklen_t namelen; iovec* iov; size_t iovlen; void* control; size_t controllen; int flags; }
    // struct cmsghdr { size_t len; int level; int type; data… }   struct ucred { pid_t pid; uid_t uid; gid_t gid; }
    const int MsgHdrBytes = 56, MsgIovOffset = 16, MsgIovLenOffset = 24, MsgControlOffset = 32, MsgControlLenOffset = 40;
    const int CmsgHeaderBytes = 16, UcredBytes = 12;
    // CMSG_SPACE(sizeof(struct ucred)): room for the credentials and nothing else, so descriptors a
    // sender attaches (SCM_RIGHTS) never fit, and the kernel closes them instead of installing them.
    const int CredentialsControlBytes = CmsgHeaderBytes + 16;

    /// <summary>The sender's pid, uid and gid, filled in and checked by the kernel (SCM_CREDENTIALS).</summary>
    internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid);

    [LibraryImport(Libc, EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint recvmsg(SafeHandle socket, byte* message, int flags);

    /// <summary>
    /// recvmsg(2) of one datagram without blocking, with the sender's credentials (the socket must
    /// have SO_PASSCRED). Returns the datagram's length (truncated to the buffer), or -1 with errno
    /// set (EAGAIN: nothing queued). <paramref name="sender"/> is null when no credentials came.
    /// </summary>
    internal static int ReceiveWithCredentials(SafeHandle socket, Span<byte> buffer, out PeerCredentials? sender)
    {
        sender = null;
        byte* header = stackalloc byte[MsgHdrBytes];
        byte* control = stackalloc byte[CredentialsControlBytes];
        new Span<byte>(header, MsgHdrBytes).Clear();
        new Span<byte>(control, CredentialsControlBytes).Clear();
        fixed (byte* data = buffer)
        {
            nint* iov = stackalloc nint[2];
            FillHeader(header, iov, data, buffer.Length, control, CredentialsControlBytes);
            var received = (int)recvmsg(socket, header, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
            if (received < 0) return received;
            var controlLength = *(nint*)(header + MsgControlLenOffset);
            if (controlLength >= CmsgHeaderBytes + UcredBytes
                && *(int*)(control + 8) == SOL_SOCKET && *(int*)(control + 12) == SCM_CREDENTIALS
                && *(nint*)control >= CmsgHeaderBytes + UcredBytes)
            {
                var ucred = control + CmsgHeaderBytes;
                sender = new PeerCredentials(*(int*)ucred, *(uint*)(ucred + 4), *(uint*)(ucred + 8));
            }
            return received;
        }
    }

    /// <summary>
    /// recvmsg(2) of one message, blocking, with at most one SCM_RIGHTS descriptor installed
    /// close-on-exec into <paramref name="fd"/> (-1 when none came). Returns the message's length,
    /// 0 when the peer has closed, or -1 with errno set (EINTR: retry).
    /// </summary>
    internal static int ReceiveWithDescriptor(SafeHandle socket, Span<byte> buffer, out int fd)
    {
        const int ScmRightsType = 1, OneDescriptorControlBytes = CmsgHeaderBytes + 8;
        fd = -1;
        byte* header = stackalloc byte[MsgHdrBytes];
        byte* control = stackalloc byte[OneDescriptorControlBytes];
        new Span<byte>(header, MsgHdrBytes).Clear();
        new Span<byte>(control, OneDescriptorControlBytes).Clear();
        fixed (byte* data = buffer)
        {
            nint* iov = stackalloc nint[2];
            FillHeader(header, iov, data, buffer.Length, control, OneDescriptorControlBytes);
            var received = (int)recvmsg(socket, header, MSG_CMSG_CLOEXEC);
            if (received < 0) return received;
            var controlLength = *(nint*)(header + MsgControlLenOffset);
            if (controlLength >= CmsgHeaderBytes + sizeof(int)
                && *(int*)(control + 8) == SOL_SOCKET && *(int*)(control + 12) == ScmRightsType)
                fd = *(int*)(control + CmsgHeaderBytes);
            return received;
        }
    }

    /// <summary>A msghdr for one buffer (its iovec in <paramref name="iov"/>, two words) and a control area.</summary>
    static void FillHeader(byte* header, nint* iov, byte* data, int length, byte* control, int controlBytes)
    {
        iov[0] = (nint)data;
        iov[1] = length;
        *(nint*)(header + MsgIovOffset) = (nint)iov;
        *(nint*)(header + MsgIovLenOffset) = 1;
        *(nint*)(header + MsgControlOffset) = (nint)control;
        *(nint*)(header + MsgControlLenOffset) = controlBytes;
    }
}
