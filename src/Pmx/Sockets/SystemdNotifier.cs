using System.Net.Sockets;
using System.Text;

namespace Pmx.Sockets;

/// <summary>pmx's own sd_notify (man sd_notify), for when systemd runs it as a Type=notify service.</summary>
internal static class SystemdNotifier
{
    /// <summary>Sends one datagram to $NOTIFY_SOCKET; does nothing when pmx was not started by systemd.</summary>
    public static void Notify(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path)) return;
        if (path[0] == '@') path = "\0" + path[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use; readiness is best effort.
        }
    }
}
