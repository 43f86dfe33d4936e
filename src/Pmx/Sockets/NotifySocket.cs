using System.Net.Sockets;
using System.Text;

namespace Pmx.Sockets;

/// <summary>
/// A per-worker sd_notify endpoint (man sd_notify): an AF_UNIX datagram socket in the abstract
/// namespace, named in the worker's NOTIFY_SOCKET. One socket per worker means every message is
/// attributed to its worker without SCM_CREDENTIALS, even when a helper process (systemd-notify)
/// sends it.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    readonly Socket _socket;
    readonly CancellationTokenSource _stop = new();

    NotifySocket(Socket socket, string path)
    {
        _socket = socket;
        Path = path;
    }

    /// <summary>The NOTIFY_SOCKET value: '@' stands for the abstract namespace's leading NUL.</summary>
    public string Path { get; }

    public static NotifySocket Open(string workerLabel, Action<Supervisor.ReadinessMessage> onMessage)
    {
        var name = $"pmx/{Environment.ProcessId}/{workerLabel}/{Guid.NewGuid():N}";
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var notify = new NotifySocket(socket, "@" + name);
        _ = notify.ReceiveLoop(onMessage);
        return notify;
    }

    async Task ReceiveLoop(Action<Supervisor.ReadinessMessage> onMessage)
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                onMessage(Parse(Encoding.UTF8.GetString(buffer, 0, n)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The worker is gone and its socket closed.
        }
    }

    /// <summary>Newline-separated KEY=VALUE assignments in one datagram (sd_notify(3)).</summary>
    public static Supervisor.ReadinessMessage Parse(string datagram)
    {
        bool ready = false, stopping = false, watchdog = false;
        string? status = null;
        foreach (var line in datagram.Split('\n'))
        {
            if (line == "READY=1") ready = true;
            else if (line == "STOPPING=1") stopping = true;
            else if (line == "WATCHDOG=1") watchdog = true;
            else if (line.StartsWith("STATUS=", StringComparison.Ordinal)) status = line["STATUS=".Length..];
        }
        return new(ready, stopping, status, watchdog);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
