using System.Buffers;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Pmx.Processes;

namespace Pmx.Sockets.Node;

/// <summary>
/// Node's IPC channel on Windows: the server end of a named pipe whose client end the worker got
/// as a CRT fd, every write framed the libuv way (LibuvIpcFrame). A socket travels as a
/// WSADuplicateSocketW record made for the worker's pid (Wine and Windows both refuse inherited
/// sockets; duplication is what Node's cluster does too).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsNodeChannel : INodeChannel
{
    const int ChannelBufferBytes = 64 * 1024;

    readonly NamedPipeServerStream _pipe;
    readonly int _workerPid;
    readonly Lock _writes = new();
    readonly LibuvIpcFrameReader _frames = new();
    readonly ArrayBufferWriter<byte> _decoded = new();
    readonly byte[] _raw = new byte[8192];
    int _decodedOffset;

    WindowsNodeChannel(NamedPipeServerStream pipe, int workerPid)
    {
        _pipe = pipe;
        _workerPid = workerPid;
    }

    /// <summary>
    /// A connected pipe pair: the daemon's end, and the worker's end as an inheritable overlapped
    /// handle (libuv refuses a non-overlapped IPC pipe). The caller passes the worker's end on and
    /// closes its copy once the worker is created.
    /// </summary>
    public static (NamedPipeServerStream Daemon, NamedPipeClientStream Worker) CreatePipePair()
    {
        var name = $"pmx-node-{Environment.ProcessId}-{Guid.NewGuid():N}";
        // A buffer of its own: with none (the default), a write under Wine waits until the worker
        // reads, and a worker busy in a loop (or not reading at all) would hold the supervisor's
        // loop in Stop past kill_timeout, for good. pmx's messages to a worker are a few small lines.
        // The current user only and FirstPipeInstance, like every pmx pipe: with the default security
        // descriptor (none at all under Wine 8, Everyone may read on Windows) another user could
        // take the one instance in the moment before pmx connects its own end.
        var server = CurrentUserPipe.Create(name, 1, PipeOptions.Asynchronous | PipeOptions.FirstPipeInstance, ChannelBufferBytes);
        try
        {
            var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous,
                System.Security.Principal.TokenImpersonationLevel.None, HandleInheritability.Inheritable);
            client.Connect(TimeSpan.FromSeconds(5));
            server.WaitForConnection();
            return (server, client);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Takes the daemon's end once the worker's pid is known.</summary>
    public static WindowsNodeChannel For(NamedPipeServerStream daemonEnd, int workerPid) => new(daemonEnd, workerPid);

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        while (_decodedOffset >= _decoded.WrittenCount)
        {
            _decoded.ResetWrittenCount();
            _decodedOffset = 0;
            var n = await _pipe.ReadAsync(_raw, cancel).ConfigureAwait(false);
            if (n == 0) return 0;
            _frames.Push(_raw.AsSpan(0, n), _decoded);
        }
        var available = _decoded.WrittenSpan[_decodedOffset..];
        var count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer.Span);
        _decodedOffset += count;
        return count;
    }

    public bool Send(ReadOnlySpan<byte> line) => Write(LibuvIpcFrame.Encode(line));

    public bool SendWithListener(ReadOnlySpan<byte> line, SafeHandle listener)
    {
        Span<byte> protocolInfo = stackalloc byte[LibuvIpcFrame.ProtocolInfoSize];
        if (!Interop.Ws2_32.DuplicateSocket(listener, _workerPid, protocolInfo)) return false;
        return Write(LibuvIpcFrame.Encode(line, protocolInfo));
    }

    bool Write(byte[] frame)
    {
        try
        {
            lock (_writes)
            {
                _pipe.Write(frame);
                _pipe.Flush();
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _pipe.Dispose();
}
