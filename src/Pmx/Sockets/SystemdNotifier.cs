using System.Net.Sockets;
using System.Text;

namespace Pmx.Sockets;

/// <summary>pmx's own sd_notify (man sd_notify), for when systemd runs it as a Type=notify service.</summary>
internal static class SystemdNotifier
{
    /// <summary>Sends one datagram to $NOTIFY_SOCKET; does nothing when pmx was not started by systemd.</summary>
    public static void Notify(string state) => Notify(state, Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>
    /// Sends <paramref name="state"/> as one UTF-8 datagram to <paramref name="socketPath"/> (a file
    /// path, or '@' for the abstract namespace). Does nothing for a null or empty path.
    /// </summary>
    public static void Notify(string state, string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath)) return;
        if (socketPath[0] == '@') socketPath = "\0" + socketPath[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException)
        {
            // systemd went away or the socket is not ours to use; readiness is best effort.
        }
    }
}
