using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    const int ScmRights = 1;        // SCM_RIGHTS
    const int MsgNoSignal = 0x4000; // MSG_NOSIGNAL: a worker that has gone is EPIPE, not SIGPIPE

    /// <summary>struct msghdr of LP64 Linux (x86_64 and aarch64 share the layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>
    /// sendmsg(2). Returns the number of bytes sent, or -1 with errno set (EAGAIN when the
    /// socket's buffer is full, EPIPE when the peer closed it).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint sendmsg(SafeHandle socket, MessageHeader* message, int flags);

    /// <summary>
    /// Sends <paramref name="data"/> on a connected AF_UNIX stream socket with <paramref name="fd"/>
    /// attached as SCM_RIGHTS: the receiver gets its own descriptor for the same open socket, tied
    /// to the first byte of the data. Returns the bytes sent or -1 (errno in <see cref="LastError"/>).
    /// </summary>
    internal static nint SendWithDescriptor(SafeHandle socket, ReadOnlySpan<byte> data, int fd)
    {
        // The cmsghdr layout and CMSG_SPACE are Interop.RecvMsg.cs's.
        byte* control = stackalloc byte[OneDescriptorControlBytes];
        new Span<byte>(control, OneDescriptorControlBytes).Clear();
        *(nuint*)control = CmsgHeaderBytes + sizeof(int);
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = ScmRights;
        *(int*)(control + CmsgHeaderBytes) = fd;
        fixed (byte* bytes = data)
        {
            var vector = new IoVector { Base = bytes, Length = (nuint)data.Length };
            var header = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = OneDescriptorControlBytes };
            return sendmsg(socket, &header, MsgNoSignal);
        }
    }

    /// <summary>sendmsg(2) of <paramref name="data"/> alone (no descriptor). Returns the bytes sent or -1 (errno set).</summary>
    internal static nint SendPlain(SafeHandle socket, ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            var vector = new IoVector { Base = bytes, Length = (nuint)data.Length };
            var header = new MessageHeader { Vectors = &vector, VectorCount = 1 };
            return sendmsg(socket, &header, MsgNoSignal);
        }
    }
}
