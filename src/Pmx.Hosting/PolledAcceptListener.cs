using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Pmx.Hosting;

/// <summary>
/// Kestrel's listener for the socket pmx shares between the workers on Windows: accepts without
/// an I/O completion port, then hands each connection to Kestrel's own socket transport.
/// </summary>
/// <remarks>
/// Overview
/// Every worker holds a duplicate of one listening socket, and a socket can be associated with
/// only one completion port: the first worker's .NET binds it, every other worker's AcceptAsync
/// then fails ("already bound to the thread pool") and that worker never accepts; once the first
/// one exits, nobody does. libuv meets the same wall and falls back to emulated IOCP for shared
/// sockets. Here one thread per worker waits for readability with select() (Socket.Poll) and
/// accepts non-blocking; when several workers wake for one connection, one gets it and the others
/// get WSAEWOULDBLOCK and wait again. The accepted sockets are the worker's own, so Kestrel's
/// transport serves them as usual (overlapped I/O, the thread pool). The poll's timeout only
/// bounds how long an unbind waits for the thread.
/// </remarks>
[SupportedOSPlatform("windows")]
sealed class PolledAcceptListener : IConnectionListener
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    readonly Socket _listener;
    readonly SocketConnectionContextFactory _connections;
    readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    readonly Thread _thread;
    volatile bool _isUnbinding;

    public PolledAcceptListener(Socket listener, EndPoint endpoint, SocketConnectionContextFactory connections)
    {
        _listener = listener;
        // The address, not the handle: what Kestrel logs as "Now listening on".
        EndPoint = listener.LocalEndPoint ?? endpoint;
        _connections = connections;
        // Shared by every copy of the socket; only workers accept on it, all of them this way.
        _listener.Blocking = false;
        _thread = new Thread(AcceptUntilUnbound) { IsBackground = true, Name = "pmx accept" };
        _thread.Start();
    }

    public EndPoint EndPoint { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var socket = await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = true;
            return _connections.Create(socket);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    void AcceptUntilUnbound()
    {
        try
        {
            while (!_isUnbinding)
            {
                if (!_listener.Poll(PollInterval, SelectMode.SelectRead)) continue;
                try
                {
                    var socket = _listener.Accept();
                    if (!_accepted.Writer.TryWrite(socket)) socket.Dispose();
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionReset)
                {
                    // Another worker took it, or the client gave up while it waited in the queue.
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The socket is gone: this worker accepts no more.
        }
        finally
        {
            _accepted.Writer.TryComplete();
        }
    }

    /// <summary>Stops accepting; the socket stays open (pmx and the other workers still use it).</summary>
    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _isUnbinding = true;
        _thread.Join(PollInterval * 2);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        while (_accepted.Reader.TryRead(out var socket)) socket.Dispose();
        _connections.Dispose();
    }
}
