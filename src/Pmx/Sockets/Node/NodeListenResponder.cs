using System.Buffers;
using System.Text.Json;
using Pmx.Config;
using Pmx.Processes;

namespace Pmx.Sockets.Node;

/// <summary>
/// Answers the preload's `{"cmd":"pmx:listen","id":N,"host":…,"port":P}` on one worker's Node IPC
/// channel. The answer is an internal message the preload waits for (cmd NODE_PMX_LISTEN, its id);
/// a socket travels the way Node's child_process sends handles: the JSON line
/// {"cmd":"NODE_HANDLE","type":"net.Native","msg":{…}} with the socket attached (INodeChannel). Node
/// acknowledges with {"cmd":"NODE_HANDLE_ACK"}, which the reader ignores. A net.Native handle
/// reaches the preload as the raw TCP handle, which net.Server.listen(handle) adopts.
/// </summary>
internal sealed class NodeListenResponder(NodeListenSockets sockets, AppSpec spec, Action<string> log)
{
    public const string RequestCommand = "pmx:listen";
    const string ReplyCommand = "NODE_PMX_LISTEN";

    /// <summary>True when the line was a listen request (answered or not); false for any other message.</summary>
    public bool TryAnswer(string jsonLine, INodeChannel channel)
    {
        if (!jsonLine.StartsWith('{') || !jsonLine.Contains(RequestCommand, StringComparison.Ordinal)) return false;
        long id;
        string? host;
        int port;
        try
        {
            using var document = JsonDocument.Parse(jsonLine);
            var root = document.RootElement;
            if (!root.TryGetProperty("cmd", out var cmd) || cmd.ValueKind != JsonValueKind.String || cmd.GetString() != RequestCommand) return false;
            id = root.GetProperty("id").GetInt64();
            host = root.TryGetProperty("host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            port = root.GetProperty("port").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }

        var answer = sockets.Listen(spec, host, port);
        var sent = answer switch
        {
            NodeListenAnswer.Socket s => SendHandle(channel, id, s.Listener),
            NodeListenAnswer.InheritedFd f => channel.Send(Reply(id, w => w.WriteNumber("fd", f.Fd))),
            NodeListenAnswer.Failure f => channel.Send(Reply(id, w => { w.WriteString("code", f.Code); w.WriteString("error", f.Message); })),
            _ => false,
        };
        if (answer is NodeListenAnswer.Failure failure) log(failure.Message);
        if (!sent) log($"could not answer listen({port}) of app '{spec.Name}': the worker's IPC channel is gone");
        return true;
    }

    static bool SendHandle(INodeChannel channel, long id, TcpListenSocket listener)
    {
        var line = Write(w =>
        {
            w.WriteString("cmd", "NODE_HANDLE");
            w.WriteString("type", "net.Native");
            w.WritePropertyName("msg");
            w.WriteStartObject();
            w.WriteString("cmd", ReplyCommand);
            w.WriteNumber("id", id);
            w.WriteEndObject();
        });
        return channel.SendWithListener(line, listener.Handle);
    }

    static byte[] Reply(long id, Action<Utf8JsonWriter> fields) => Write(w =>
    {
        w.WriteString("cmd", ReplyCommand);
        w.WriteNumber("id", id);
        fields(w);
    });

    static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }
}
