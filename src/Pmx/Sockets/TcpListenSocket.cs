using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Pmx.Config;
using Pmx.Supervisor;

namespace Pmx.Sockets;

/// <summary>
/// A listening TCP socket the daemon owns for an app's whole life and hands to each worker at fd 3.
/// The daemon never accepts on it: workers do, and because the socket outlives every worker, the
/// kernel never resets a queued connection during reload, crash or scale.
/// </summary>
internal sealed class TcpListenSocket : IListenSocket
{
    const int SolSocket = 1, SoReusePort = 15;
    /// <summary>Accept queue length; the kernel caps it at net.core.somaxconn.</summary>
    const int Backlog = 4096;

    readonly Socket _socket;

    TcpListenSocket(Socket socket, string endpoint)
    {
        _socket = socket;
        Endpoint = endpoint;
    }

    public SafeHandle Handle => _socket.SafeHandle;
    public string Endpoint { get; }
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static TcpListenSocket Open(AppSpec spec)
    {
        var endpointText = $"{spec.Host}:{spec.Port}";
        if (!IPAddress.TryParse(spec.Host, out var address))
            throw new ListenException($"cannot bind {endpointText} for app '{spec.Name}': host must be an IP address (0.0.0.0, 127.0.0.1, ::)");
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // "::" means every address, IPv4 too, as in Node; .NET would make it IPv6-only.
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            if (OperatingSystem.IsWindows())
            {
                // Windows' SO_REUSEADDR lets another process steal the port; exclusive is the safe default there.
                // No SO_REUSEPORT: the one socket is shared by duplicating it for each worker (DESIGN §9).
                socket.ExclusiveAddressUse = true;
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                // SO_REUSEPORT only through the raw call: the typed API rejects option 15 (feasibility §4d).
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }
            socket.Bind(new IPEndPoint(address, spec.Port ?? 0));
            socket.Listen(Backlog);
            return new TcpListenSocket(socket, endpointText);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var hint = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $" (EADDRINUSE). Is another server running? Try 'ss -ltnp sport = :{spec.Port}'.",
                SocketError.AccessDenied => " (EACCES). Ports below 1024 need root or CAP_NET_BIND_SERVICE.",
                SocketError.AddressNotAvailable => $" (EADDRNOTAVAIL). {spec.Host} is not an address of this machine.",
                _ => $" ({e.SocketErrorCode}).",
            };
            throw new ListenException($"cannot bind {endpointText} for app '{spec.Name}': {e.Message.TrimEnd('.')}{hint}");
        }
    }

    /// <summary>A listening socket a previous daemon bound for <paramref name="spec"/>, handed back by the keeper; takes ownership of <paramref name="descriptor"/>.</summary>
    public static TcpListenSocket Adopt(Microsoft.Win32.SafeHandles.SafeFileHandle descriptor, AppSpec spec)
    {
        var socket = new Socket(new SafeSocketHandle(descriptor.DangerousGetHandle(), ownsHandle: true));
        descriptor.SetHandleAsInvalid();
        return new TcpListenSocket(socket, $"{spec.Host}:{spec.Port}");
    }

    /// <summary>Connections waiting in the accept queue (tcp_info.tcpi_unacked is sk_ack_backlog on a listener).</summary>
    public int AcceptQueueLength
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return 0; // no TCP_INFO backlog count on Windows
            const int IpProtoTcp = 6, TcpInfo = 11, UnackedOffset = 24;
            var info = new byte[104];
            var length = _socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            return length >= UnackedOffset + 4 ? BitConverter.ToInt32(info, UnackedOffset) : 0;
        }
    }

    /// <summary>Sends new connections of this socket's reuseport group only to the members at <paramref name="positions"/>.</summary>
    public void SteerTo(IReadOnlyList<int> positions)
    {
        if (!OperatingSystem.IsLinux())
            throw new ListenException($"reuse_port = \"per_instance\" needs Linux's SO_REUSEPORT; on this system leave reuse_port unset (one shared socket) for {Endpoint}");
        if (Pmx.Interop.Interop.AttachReuseportSteering(_socket.SafeHandle, positions) != 0)
            throw new ListenException($"cannot steer the SO_REUSEPORT group of {Endpoint} to {positions.Count} sockets " +
                $"(at most {Pmx.Interop.Interop.MaxSteeredPositions} when some leave): {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>shutdown(2) of a listener stops it listening for every descriptor of it, and takes it out of its SO_REUSEPORT group.</summary>
    public void StopListening()
    {
        try { _socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { } // not listening any more: nothing to stop
        catch (ObjectDisposedException) { }
    }

    public void Dispose() => _socket.Dispose();
}
