using System.Net.Sockets;
using System.Text;

namespace Pmx.Control;

/// <summary>What client and server both need to know about the control socket's path.</summary>
internal static class ControlSocket
{
    /// <summary>sun_path is 108 bytes on Linux, one of them the terminating NUL.</summary>
    const int MaxPathBytes = 107;

    public enum Probe { Listening, Refused, Absent }

    /// <summary>The endpoint for a path, or an error that tells the user how to get a shorter one.</summary>
    public static UnixDomainSocketEndPoint EndPoint(string socketPath)
    {
        PathBytes(socketPath);
        return new UnixDomainSocketEndPoint(socketPath);
    }

    /// <summary>The path as sun_path holds it (UTF-8, no NUL), or the error <see cref="EndPoint"/> gives.</summary>
    public static byte[] PathBytes(string socketPath)
    {
        var bytes = Encoding.UTF8.GetBytes(socketPath);
        if (bytes.Length > MaxPathBytes)
            throw new IOException($"pmx: the control socket path {socketPath} is {bytes.Length} bytes, but Unix sockets allow {MaxPathBytes}. Set PMX_HOME to a shorter folder.");
        return bytes;
    }

    /// <summary>Connects to the socket (on Windows, the pipe) once to learn whether a daemon listens on it, then hangs up.</summary>
    public static async Task<Probe> ProbeAsync(string socketPath, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows()) return ControlPipe.Probe(socketPath);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(EndPoint(socketPath), ct).ConfigureAwait(false);
            return Probe.Listening;
        }
        catch (SocketException e)
        {
            return Classify(e) ?? throw new IOException($"pmx: cannot connect to {socketPath}: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>What a failed connect says about the daemon; null when it says nothing (e.g. permission denied).</summary>
    public static Probe? Classify(SocketException e) => e.SocketErrorCode switch
    {
        // A socket file with no listener behind it: its daemon died without deleting it.
        SocketError.ConnectionRefused => Probe.Refused,
        // ENOENT: the file vanished between our check and the connect.
        SocketError.AddressNotAvailable => Probe.Absent,
        // EAGAIN: the listener's backlog is full, so someone is listening, just busy.
        SocketError.WouldBlock => Probe.Listening,
        _ => null,
    };
}
