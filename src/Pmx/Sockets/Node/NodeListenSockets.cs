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
    readonly Lock _gate = new();

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
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var socket in _sockets.Values) socket.Dispose();
            _sockets.Clear();
        }
    }
}
