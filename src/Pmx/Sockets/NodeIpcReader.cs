using System.Net.Sockets;
using System.Text;
using Pmx.Processes;

namespace Pmx.Sockets;

/// <summary>
/// Reads Node's IPC channel (NODE_CHANNEL_FD, serialization "json"): newline-delimited JSON, several
/// messages per read possible. `process.send('ready')` arrives as the line "ready" (with quotes).
/// Node's internal {"cmd":"NODE_…"} messages are ignored; the preload's listen requests go to the
/// responder (Node/NodeListenResponder.cs), which answers on the same channel. The channel stays open for the worker's
/// whole life: closing it makes Node emit 'disconnect', which many apps treat as "exit now".
/// </summary>
internal sealed class NodeIpcReader : IDisposable
{
    readonly INodeChannel _channel;
    readonly CancellationTokenSource _stop = new();
    bool _hasSaidReady;

    NodeIpcReader(INodeChannel channel) => _channel = channel;

    public static NodeIpcReader Attach(INodeChannel channel, Action<Supervisor.ReadinessMessage> onMessage, Node.NodeListenResponder? listens = null)
    {
        var reader = new NodeIpcReader(channel);
        _ = reader.ReadLoop(onMessage, listens);
        return reader;
    }

    async Task ReadLoop(Action<Supervisor.ReadinessMessage> onMessage, Node.NodeListenResponder? listens)
    {
        var buffer = new byte[8192];
        var pending = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _channel.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
                int newline;
                while ((newline = IndexOf(pending, '\n')) >= 0)
                {
                    var line = pending.ToString(0, newline).Trim();
                    pending.Remove(0, newline + 1);
                    // Readiness is said once; a worker repeating it in a loop must not flood the supervisor's queue.
                    if (IsReady(line))
                    {
                        if (_hasSaidReady) continue;
                        _hasSaidReady = true;
                        onMessage(new(true, false, null));
                    }
                    else listens?.TryAnswer(line, _channel);
                }
                // A peer that never sends a newline must not grow the buffer without bound.
                if (pending.Length > 1 << 20) pending.Clear();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException or InvalidDataException)
        {
        }
    }

    /// <summary>PM2's convention: the message 'ready', as a bare string or {"type":"ready"}… kept to the string form.</summary>
    public static bool IsReady(string jsonLine) => jsonLine == "\"ready\"";

    static int IndexOf(StringBuilder sb, char c)
    {
        for (var i = 0; i < sb.Length; i++) if (sb[i] == c) return i;
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _channel.Dispose();
    }
}
