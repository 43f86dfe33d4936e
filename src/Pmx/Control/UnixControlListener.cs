using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Pmx.Control;

/// <summary>The control socket on Linux: PMX_HOME/pmx.sock, mode 0600 (DESIGN §7).</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class UnixControlListener : IControlListener
{
    const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    readonly Socket _listener;

    UnixControlListener(Socket listener) => _listener = listener;

    /// <exception cref="IOException">The path is taken or cannot be bound.</exception>
    public static UnixControlListener Listen(string socketPath)
    {
        var endPoint = ControlSocket.EndPoint(socketPath);
        // .NET creates sockets with SOCK_CLOEXEC, so workers spawned by the daemon never inherit it.
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(endPoint);
            // bind(2) creates the file with the umask's mode, which may allow others to connect.
            // Nobody can connect before listen(2) (connect gets ECONNREFUSED) and the socket lives
            // in the 0700 PMX_HOME, so narrowing the mode between bind and listen leaves no window.
            File.SetUnixFileMode(socketPath, OwnerReadWrite);
            listener.Listen(backlog: 128);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            throw new IOException($"pmx: cannot listen on {socketPath}: the file already exists. Another daemon may be running for this PMX_HOME ('pmx kill' stops it).", e);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"pmx: cannot listen on {socketPath}: {e.Message} ({e.SocketErrorCode}).", e);
        }
        return new UnixControlListener(listener);
    }

    public async ValueTask<Stream> AcceptAsync(CancellationToken ct)
    {
        try
        {
            var connection = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            return new NetworkStream(connection, ownsSocket: true);
        }
        catch (SocketException e)
        {
            // The server knows streams, not sockets: EMFILE, or the listener closed by a stop.
            throw new IOException($"{e.Message} ({e.SocketErrorCode})", e);
        }
    }

    public void Dispose() => _listener.Dispose();
}
