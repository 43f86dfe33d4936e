using System.Net.Sockets;
using System.Text.Json;

namespace Pmx.Control;

/// <summary>The CLI's end of the control socket: one request out, progress and a result back.</summary>
internal static partial class ControlClient
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
        await using var stream = await ConnectAsync(socketPath, ct).ConfigureAwait(false);
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
            if (Receive(line, onProgress) is { } result) return result;
        throw ClosedWithoutAnswer(socketPath, inner: null);
    }

    /// <summary>
    /// <see cref="SendAsync"/> with blocking calls on the calling thread, for the CLI, which has
    /// nothing else to do while it waits. (The async path's first socket operation starts the
    /// runtime's thread-pool workers, a cost a one-request process need not pay.)
    /// </summary>
    /// <exception cref="DaemonNotRunningException">No socket file, or nobody listens on it.</exception>
    /// <exception cref="ControlProtocolException">The daemon hung up without a result, or answered something unreadable.</exception>
    public static ControlResult Send(string socketPath, ControlRequest request, Action<string> onProgress)
    {
        ControlResult? result = null;
        Exchange(socketPath, JsonLines.Encode(request, ControlJsonContext.Default.ControlRequest),
            line => (result = Receive(line, onProgress)) is not null);
        return result!;
    }

    /// <summary>
    /// Sends a request line encoded by the caller and returns the first line <paramref name="isResult"/>
    /// accepts, undecoded: for a caller that reads the answer without the serializer (<see cref="ListExchange"/>).
    /// </summary>
    /// <exception cref="DaemonNotRunningException">No socket file, or nobody listens on it.</exception>
    /// <exception cref="ControlProtocolException">The daemon hung up without a result.</exception>
    public static byte[] SendLine(string socketPath, byte[] requestLine, Func<byte[], bool> isResult) =>
        OperatingSystem.IsLinux() ? UnixSocketExchange.SendLine(socketPath, requestLine, isResult) : Exchange(socketPath, requestLine, isResult);

    static byte[] Exchange(string socketPath, byte[] requestLine, Func<byte[], bool> isResult)
    {
        var command = CommandOf(requestLine);
        var deadlines = ClientDeadlines.For(command);
        if (OperatingSystem.IsWindows()) return ExchangeOverPipe(socketPath, requestLine, isResult, command, deadlines);
        using var socket = NewSocket(socketPath);
        // Kernel timeouts on the blocking socket (SO_SNDTIMEO also bounds a Unix-socket connect
        // whose listener's backlog is full, SO_RCVTIMEO each read): no timer thread needed.
        socket.SendTimeout = (int)deadlines.Connect.TotalMilliseconds;
        if (deadlines.Answer is { } answer) socket.ReceiveTimeout = (int)answer.TotalMilliseconds;
        try { socket.Connect(ControlSocket.EndPoint(socketPath)); }
        catch (SocketException e) when (IsTimeout(e)) { throw ControlFailures.ConnectTimedOut(socketPath, deadlines, e); }
        catch (SocketException e) { throw ConnectFailure(e, socketPath); }
        using var stream = new NetworkStream(socket, ownsSocket: false);
        try { stream.Write(requestLine); }
        catch (IOException) { /* as in SendAsync: read what the daemon sent before it hung up (or the read's deadline says it is stuck) */ }

        var reader = new JsonLineReader(stream, ControlProtocol.MaxLineBytes);
        while (ReadLine(reader, socketPath, command, deadlines) is { } line)
            if (isResult(line)) return line;
        throw ClosedWithoutAnswer(socketPath, inner: null);
    }

    /// <summary>The request's verb, for its deadline and for messages; the header is what every version shares.</summary>
    static string? CommandOf(byte[] requestLine) => ControlRequestVerb.Of(requestLine);

    static bool IsTimeout(SocketException e) => e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock;

    /// <summary>A progress line goes to <paramref name="onProgress"/> (null back); the result line ends the exchange.</summary>
    static ControlResult? Receive(byte[] line, Action<string> onProgress)
    {
        var controlEvent = Parse(line);
        if (controlEvent.Type == ControlEventType.Progress)
        {
            onProgress(controlEvent.Message ?? "");
            return null;
        }
        return new ControlResult(
            controlEvent.ExitCode ?? ExitCodes.Failure,
            controlEvent.Message,
            controlEvent.Processes,
            controlEvent.Details,
            controlEvent.PmxVersion,
            controlEvent.ConfigSources);
    }

    static async Task<byte[]?> ReadLineAsync(JsonLineReader reader, string socketPath, CancellationToken ct)
    {
        try { return await reader.ReadLineAsync(ct).ConfigureAwait(false); }
        catch (IOException e) { throw ClosedWithoutAnswer(socketPath, e); }
    }

    static byte[]? ReadLine(JsonLineReader reader, string socketPath, string? command, ClientDeadlines deadlines)
    {
        try { return reader.ReadLine(); }
        catch (IOException e) when (e.InnerException is SocketException inner && IsTimeout(inner) && deadlines.Answer is { } answer)
        {
            throw ControlFailures.NoAnswer(socketPath, command, answer, e);
        }
        catch (IOException e) { throw ClosedWithoutAnswer(socketPath, e); }
    }

    static ControlProtocolException ClosedWithoutAnswer(string socketPath, Exception? inner) => ControlFailures.ClosedWithoutAnswer(socketPath, inner);

    static async Task<Stream> ConnectAsync(string socketPath, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows()) return ControlPipe.Connect(socketPath, ClientDeadlines.For(null).Connect);
        var socket = NewSocket(socketPath);
        try { await socket.ConnectAsync(ControlSocket.EndPoint(socketPath), ct).ConfigureAwait(false); }
        catch (SocketException e)
        {
            socket.Dispose();
            throw ConnectFailure(e, socketPath);
        }
        return new NetworkStream(socket, ownsSocket: true);
    }

    static Socket NewSocket(string socketPath)
    {
        if (!File.Exists(socketPath)) throw new DaemonNotRunningException(socketPath);
        return new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    }

    static Exception ConnectFailure(SocketException e, string socketPath) =>
        ControlSocket.Classify(e) is ControlSocket.Probe.Refused or ControlSocket.Probe.Absent
            ? new DaemonNotRunningException(socketPath, e)
            : new IOException($"pmx: cannot connect to the daemon at {socketPath}: {e.Message} ({e.SocketErrorCode}).", e);

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
