using System.Net.Sockets;
using System.Text.Json;

namespace Pmx.Control;

/// <summary>The CLI's end of the control socket: one request out, progress and a result back.</summary>
internal static class ControlClient
{
    /// <summary>
    /// Sends <paramref name="request"/> and relays each progress line to <paramref name="onProgress"/>
    /// until the daemon's result arrives. No deadline of its own: a reload may take minutes, and
    /// the user's Ctrl-C (<paramref name="ct"/>) only stops the waiting, never the command.
    /// </summary>
    /// <exception cref="DaemonNotRunningException">No socket file, or nobody listens on it.</exception>
    /// <exception cref="ControlProtocolException">The daemon hung up without a result, or answered something unreadable.</exception>
    public static async Task<ControlResult> SendAsync(string socketPath, ControlRequest request, Action<string> onProgress, CancellationToken ct)
    {
        using var socket = await ConnectAsync(socketPath, ct).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await JsonLines.WriteAsync(stream, request, ControlJsonContext.Default.ControlRequest, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The daemon may have answered and hung up already (e.g. a request it refused to read);
            // whatever it sent is still ours to read below.
        }

        var reader = new JsonLineReader(stream, ControlProtocol.MaxLineBytes);
        while (await ReadLineAsync(reader, socketPath, ct).ConfigureAwait(false) is { } line)
        {
            var controlEvent = Parse(line);
            if (controlEvent.Type == ControlEventType.Progress)
            {
                onProgress(controlEvent.Message ?? "");
                continue;
            }
            return new ControlResult(
                controlEvent.ExitCode ?? Cli.ExitCodes.Failure,
                controlEvent.Message,
                controlEvent.Processes,
                controlEvent.Details,
                controlEvent.PmxVersion);
        }

        throw ClosedWithoutAnswer(socketPath, inner: null);
    }

    static async Task<byte[]?> ReadLineAsync(JsonLineReader reader, string socketPath, CancellationToken ct)
    {
        try { return await reader.ReadLineAsync(ct).ConfigureAwait(false); }
        catch (IOException e) { throw ClosedWithoutAnswer(socketPath, e); }
    }

    static ControlProtocolException ClosedWithoutAnswer(string socketPath, Exception? inner)
    {
        // The socket lives in PMX_HOME (DESIGN §1), next to the log that says what happened.
        var daemonLog = new PmxHome(Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? "/").DaemonLogPath;
        return new ControlProtocolException($"pmx: the daemon closed the connection without an answer; it may have crashed. See {daemonLog}.", inner);
    }

    static async Task<Socket> ConnectAsync(string socketPath, CancellationToken ct)
    {
        if (!File.Exists(socketPath)) throw new DaemonNotRunningException(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(ControlSocket.EndPoint(socketPath), ct).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e) when (ControlSocket.Classify(e) is ControlSocket.Probe.Refused or ControlSocket.Probe.Absent)
        {
            socket.Dispose();
            throw new DaemonNotRunningException(socketPath, e);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"pmx: cannot connect to the daemon at {socketPath}: {e.Message} ({e.SocketErrorCode}).", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static ControlEvent Parse(byte[] line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlEvent)
                   ?? throw new JsonException("the event is null");
        }
        catch (JsonException e)
        {
            throw new ControlProtocolException($"pmx: could not read the daemon's answer ({e.Message}). Is the daemon another pmx version? 'pmx kill' stops it.", e);
        }
    }
}
