using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Pmx.Processes;

namespace Pmx.Sockets.Node;

/// <summary>Node's IPC channel on Linux: one end of an AF_UNIX stream pair; a socket rides as SCM_RIGHTS.</summary>
[SupportedOSPlatform("linux")]
internal sealed class UnixNodeChannel(Socket socket) : INodeChannel
{
    readonly Lock _writes = new();

    public Socket Socket => socket;

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => socket.ReceiveAsync(buffer, SocketFlags.None, cancel);

    public bool Send(ReadOnlySpan<byte> line)
    {
        lock (_writes) return SendAll(line, fd: -1);
    }

    public bool SendWithListener(ReadOnlySpan<byte> line, SafeHandle listener)
    {
        var added = false;
        listener.DangerousAddRef(ref added);
        try
        {
            lock (_writes) return SendAll(line, (int)listener.DangerousGetHandle());
        }
        finally
        {
            if (added) listener.DangerousRelease();
        }
    }

    /// <summary>
    /// The fd rides on the first sendmsg; a short write's rest goes without it. The channel is
    /// non-blocking (the reader awaits on it), so a full buffer is waited out briefly.
    /// </summary>
    bool SendAll(ReadOnlySpan<byte> line, int fd)
    {
        var offset = 0;
        var deadline = Environment.TickCount64 + 5000;
        while (offset < line.Length)
        {
            nint n = fd >= 0 && offset == 0
                ? Interop.Interop.SendWithDescriptor(socket.SafeHandle, line, fd)
                : SendRest(line[offset..]);
            if (n > 0) { offset += (int)n; continue; }
            if (Interop.Interop.LastError is not (Interop.Interop.Errno.EAGAIN or Interop.Interop.Errno.EINTR) || Environment.TickCount64 > deadline)
                return false;
            socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectWrite);
        }
        return true;
    }

    nint SendRest(ReadOnlySpan<byte> rest)
    {
        try
        {
            return socket.Send(rest, SocketFlags.None);
        }
        catch (SocketException)
        {
            return -1;
        }
    }

    public void Dispose() => socket.Dispose();
}
