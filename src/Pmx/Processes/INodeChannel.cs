using System.Runtime.InteropServices;

namespace Pmx.Processes;

/// <summary>
/// The daemon's end of a worker's Node IPC channel (NODE_CHANNEL_FD, serialization "json"): the
/// bytes of newline-delimited JSON messages both ways, and a listening socket handed over the way
/// Node's child_process sends handles. Linux: a socket pair with SCM_RIGHTS. Windows: a named pipe
/// with libuv's IPC framing and a WSADuplicateSocketW record. Writes may come from any thread.
/// </summary>
public interface INodeChannel : IDisposable
{
    /// <summary>The next bytes the worker sent, 0 once the channel is closed.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>Sends one JSON line (with its '\n'); false when the channel is gone.</summary>
    bool Send(ReadOnlySpan<byte> line);

    /// <summary>Sends one JSON line with a duplicate of <paramref name="listener"/> attached; false when the channel is gone.</summary>
    bool SendWithListener(ReadOnlySpan<byte> line, SafeHandle listener);
}
