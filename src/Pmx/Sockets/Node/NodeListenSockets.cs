using System.Net;
using System.Net.Sockets;
using Pmx.Config;
using Pmx.Supervisor;

namespace Pmx.Sockets.Node;

/// <summary>What a worker's listen(port, host) is answered with.</summary>
internal abstract record NodeListenAnswer
{
    /// <summary>A socket pmx owns: sent over the channel as a handle.</summary>
    public sealed record Socket(TcpListenSocket Listener) : NodeListenAnswer;
    /// <summary>The port the ecosystem file names: the worker already holds it at fd 3 (LISTEN_FDS).</summary>
    public sealed record InheritedFd(int Fd) : NodeListenAnswer;
    /// <summary>The bind failed; the worker's server emits 'error' with this code, as Node would.</summary>
    public sealed record Failure(string Code, string Message) : NodeListenAnswer;
}

/// <summary>
/// The listening sockets pmx binds on demand when a Node worker calls listen(port, host), one per
/// app, host and port, kept for the app's life: every instance and every later worker of the app
/// gets the same socket, so the kernel never drops a queued connection on reload, crash or scale.
/// Called from the channels' reader threads, hence the lock.
/// </summary>
internal sealed class NodeListenSockets : IDisposable
{
    /// <summary>Node's default when listen() names no host: every address, IPv6 and IPv4.</summary>
    const string AnyHost = "::";
    const string AnyIPv4 = "0.0.0.0";

    readonly Dictionary<(string App, string Host, int Port), TcpListenSocket> _sockets = [];
    readonly Dictionary<(string App, string Host, int Port), string> _keeperKeys = [];
    readonly Lock _gate = new();
    Func<System.Runtime.InteropServices.SafeHandle, string>? _hold;
    Action<string>? _drop;

    /// <summary>Called (on a reader thread) after a new socket was bound: the daemon records it for the next daemon.</summary>
    public Action? Bound { get; set; }

    /// <summary>
    /// A keeper holds a copy of every socket bound from now on (<paramref name="hold"/> returns its
    /// key), so the socket outlives this daemon and the next one serves the app's listen() from it.
    /// </summary>
    public void KeepWith(Func<System.Runtime.InteropServices.SafeHandle, string> hold, Action<string> drop)
    {
        lock (_gate)
        {
            _hold = hold;
            _drop = drop;
        }
    }

    /// <summary>Every socket a keeper holds, as the next daemon needs them to put them back (<see cref="Restore"/>).</summary>
    public IReadOnlyList<NodeListenRecord> Records()
    {
        lock (_gate) return _keeperKeys.Select(k => new NodeListenRecord(k.Key.App, k.Key.Host, k.Key.Port, k.Value)).ToList();
    }

    /// <summary>A dead daemon's socket, handed back by the keeper: the app's next listen() gets it, not a second bind.</summary>
    public void Restore(NodeListenRecord record, TcpListenSocket socket)
    {
        var key = (record.App, record.Host, record.Port);
        lock (_gate)
        {
            if (_sockets.Remove(key, out var previous)) previous.Dispose();
            _sockets[key] = socket;
            if (_hold is not null) _keeperKeys[key] = _hold(socket.Handle);
        }
    }

    public NodeListenAnswer Listen(AppSpec spec, string? host, int port)
    {
        if (UsesConfiguredSocket(spec, host, port)) return new NodeListenAnswer.InheritedFd(3);
        var address = host ?? AnyHost;
        if (address == "localhost") address = "127.0.0.1";
        lock (_gate)
        {
            if (_sockets.TryGetValue((spec.Name, address, port), out var existing)) return new NodeListenAnswer.Socket(existing);
            try
            {
                var socket = Bind(spec, address, port, host is null);
                _sockets[(spec.Name, address, port)] = socket;
                if (_hold is not null) _keeperKeys[(spec.Name, address, port)] = _hold(socket.Handle);
                Bound?.Invoke();
                return new NodeListenAnswer.Socket(socket);
            }
            catch (ListenException e)
            {
                return new NodeListenAnswer.Failure(ErrorCode(e.Message), e.Message);
            }
        }
    }

    /// <summary>A cluster app's configured port is bound up front and handed over at fd 3 already (not on Windows: no fds to hand, see ListenSocketFor).</summary>
    static bool UsesConfiguredSocket(AppSpec spec, string? host, int port) =>
        !OperatingSystem.IsWindows() && spec.ExecMode == ExecMode.Cluster && spec.Port == port && (host is null || host == spec.Host);

    static TcpListenSocket Bind(AppSpec spec, string address, int port, bool anyHost)
    {
        if (!IPAddress.TryParse(address, out _))
        {
            try
            {
                address = Dns.GetHostAddresses(address).First().ToString();
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException)
            {
                throw new ListenException($"cannot bind {address}:{port} for app '{spec.Name}': the host name does not resolve (ENOTFOUND)");
            }
        }
        try
        {
            return TcpListenSocket.Open(spec with { Host = address, Port = port });
        }
        catch (Exception e) when (anyHost && (e is SocketException || (e is ListenException && ErrorCode(e.Message) != "EADDRINUSE")))
        {
            // A machine without IPv6 cannot bind "::"; Node falls back to 0.0.0.0 the same way.
            return TcpListenSocket.Open(spec with { Host = AnyIPv4, Port = port });
        }
    }

    /// <summary>TcpListenSocket's messages end with the C name of the error, e.g. "(EADDRINUSE)."</summary>
    static string ErrorCode(string message)
    {
        foreach (var code in (string[])["EADDRINUSE", "EACCES", "EADDRNOTAVAIL", "ENOTFOUND"])
            if (message.Contains($"({code})", StringComparison.Ordinal)) return code;
        return "EINVAL";
    }

    /// <summary>The app was deleted: no worker of it will accept on these again.</summary>
    public void Release(string appName)
    {
        lock (_gate)
        {
            foreach (var key in _sockets.Keys.Where(k => k.App == appName).ToList())
            {
                _sockets[key].Dispose();
                _sockets.Remove(key);
                if (_keeperKeys.Remove(key, out var keeperKey)) _drop?.Invoke(keeperKey);
            }
        }
    }

    /// <summary>The daemon exits (or hands over): the keeper's copies stay, for the next daemon.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var socket in _sockets.Values) socket.Dispose();
            _sockets.Clear();
        }
    }
}

/// <summary>An on-demand socket a keeper holds under <paramref name="KeeperKey"/>, recorded in the state file.</summary>
internal sealed record NodeListenRecord(string App, string Host, int Port, string KeeperKey);
