using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pmx.TestWorker;

/// <summary>Serving answers keep-alive; Draining answers with Connection: close; Stopped no longer accepts.</summary>
enum ServerState { Serving, Draining, Stopped }

/// <summary>
/// Overview: an HTTP/1.1 server on a raw Socket, one task per connection, with the graceful drain
/// of DESIGN §10. The listening socket usually comes from pmx on fd 3 and is shared with sibling
/// workers and with pmx itself, so this server never shuts it down, never disposes it (disposing a
/// socket with a cancelled accept may set SO_LINGER 0 or disconnect it, and both act on the shared
/// socket), and simply stops calling accept; our fd closes when the process exits.
/// Accepting asynchronously sets O_NONBLOCK, a flag of the shared open file rather than of our fd,
/// as Node and Go workers do too: nobody sharing the socket may rely on it blocking.
/// </summary>
sealed class HttpServer
{
    /// <summary>After the drain window, a connection that never sent a request gets this much longer.</summary>
    static readonly TimeSpan SilentConnectionGrace = TimeSpan.FromSeconds(1);

    readonly Socket _listener;
    readonly HttpRoutes _routes;
    readonly Output _output;
    readonly CancellationTokenSource _stopAccepting = new();
    readonly CancellationTokenSource _closeIdle = new();
    readonly CancellationTokenSource _closeSilent = new();
    readonly ConcurrentDictionary<long, Task> _connections = new();
    long _nextConnection;
    volatile ServerState _state = ServerState.Serving;
    Task _acceptLoop = Task.CompletedTask;

    HttpServer(Socket listener, HttpRoutes routes, Output output) => (_listener, _routes, _output) = (listener, routes, output);

    public bool IsDraining => _state != ServerState.Serving;
    public CancellationToken IdleConnectionsClose => _closeIdle.Token;
    public CancellationToken SilentConnectionsClose => _closeSilent.Token;

    /// <summary>Takes fd 3 when socket activation says it is ours, else binds 127.0.0.1:port; null and a reason when neither works.</summary>
    public static HttpServer? Listen(Flags flags, Output output, out string? error)
    {
        error = null;
        Socket listener;
        string origin;
        try
        {
            if (InheritedFds.HasListenFd(output.Pid))
            {
                // ownsHandle: false, for the reasons in the overview: fd 3 is never ours to close.
                listener = new Socket(new SafeSocketHandle(InheritedFds.ListenFd, ownsHandle: false));
                origin = "fd 3";
            }
            else if (flags.Port is int port)
            {
                listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                listener.Listen(512);
                origin = "--port";
            }
            else
            {
                error = "--http needs a listening socket: run under pmx (LISTEN_FDS=1, LISTEN_PID=<our pid>, fd 3) or pass --port P";
                return null;
            }
        }
        catch (SocketException e)
        {
            var where = flags.Port is int taken && !InheritedFds.HasListenFd(output.Pid) ? $" on 127.0.0.1:{taken}" : "";
            error = $"cannot listen{where}: {e.Message} ({e.SocketErrorCode}). Is fd 3 a listening socket, or is the port taken?";
            return null;
        }
        output.Line($"listening on {listener.LocalEndPoint} ({origin})");
        return new HttpServer(listener, new HttpRoutes(flags.Tag, output.Pid), output);
    }

    public void Start() => _acceptLoop = AcceptLoopAsync();

    async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stopAccepting.Token); }
            catch (OperationCanceledException) { return; } // cancelled before accept(2) ran: the connection stays queued for a sibling
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset) { continue; }
            catch (SocketException e)
            {
                // EMFILE and friends: back off briefly instead of spinning on the ready listener.
                _output.Note($"accept failed: {e.Message} ({e.SocketErrorCode}); retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(50));
                continue;
            }
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnection);
            var connection = Task.Run(new HttpConnection(client, this, _routes).ServeAsync);
            _connections[id] = connection;
            _ = connection.ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// DESIGN §10: (1) answer everything with Connection: close, (2) keep serving and accepting for
    /// the window so busy keep-alive clients get one last response, (3) stop accepting, close idle
    /// connections, and return once in-flight requests are answered.
    /// </summary>
    public async Task DrainAsync(TimeSpan window)
    {
        _state = ServerState.Draining;
        _output.Line($"draining for {window.TotalMilliseconds}ms");
        await Task.Delay(window);

        _state = ServerState.Stopped;
        _stopAccepting.Cancel();
        await _acceptLoop;
        _closeIdle.Cancel();
        _closeSilent.CancelAfter(SilentConnectionGrace);
        var remaining = _connections.Values.ToArray();
        _output.Line($"stopped accepting; waiting for {remaining.Length} connection(s)");
        await Task.WhenAll(remaining);
        _output.Line("drained");
    }
}
