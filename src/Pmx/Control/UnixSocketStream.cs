using System.ComponentModel;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Control;

/// <summary>
/// A connected, blocking AF_UNIX stream socket, read and written with read(2) and write(2): the
/// CLI's control connection on Linux. Failures are <see cref="Win32Exception"/>s carrying the errno.
/// </summary>
/// <remarks>
/// Why not System.Net.Sockets.Socket: in a process that makes one request and exits, its first use
/// costs more than the exchange itself. It starts the socket engine (an epoll thread that the
/// calling thread spins on sched_yield waiting for) and probes IPv4, IPv6 and Unix datagram
/// support with three throwaway sockets; a blocking request needs none of that.
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class UnixSocketStream : Stream
{
    readonly SafeFileHandle _socket;

    UnixSocketStream(SafeFileHandle socket) => _socket = socket;

    /// <summary>
    /// Connects to <paramref name="path"/> (UTF-8). <paramref name="sendTimeout"/> bounds the
    /// connect (a full backlog) and each write, <paramref name="receiveTimeout"/> each read
    /// (none: wait as long as it takes); a timeout is errno EAGAIN.
    /// </summary>
    /// <exception cref="Win32Exception">socket, setsockopt or connect failed; NativeErrorCode is the errno.</exception>
    public static UnixSocketStream Connect(ReadOnlySpan<byte> path, TimeSpan sendTimeout, TimeSpan? receiveTimeout)
    {
        var fd = CreateUnixStreamSocket();
        if (fd < 0) throw new Win32Exception((int)LastError);
        var socket = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            ThrowIfFailed(SetSocketTimeout(socket, receive: false, sendTimeout));
            if (receiveTimeout is { } timeout) ThrowIfFailed(SetSocketTimeout(socket, receive: true, timeout));
            ThrowIfFailed(ConnectUnix(socket, path));
            return new UnixSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                var count = read((int)_socket.DangerousGetHandle(), bytes, (nuint)buffer.Length);
                if (count >= 0) return (int)count;
                if (LastError != Errno.EINTR) throw new Win32Exception((int)LastError);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => ThrowIfFailed(WriteAll(_socket, buffer));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _socket.Dispose();
        base.Dispose(disposing);
    }

    static void ThrowIfFailed(Errno errno)
    {
        if (errno != 0) throw new Win32Exception((int)errno);
    }
}
