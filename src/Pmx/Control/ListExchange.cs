using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pmx.Control;

/// <summary>
/// The `list` request and its answer on the wire, written and read with Utf8JsonWriter/Reader
/// instead of <see cref="ControlJsonContext"/>. Same bytes as the serializer's (tests compare them).
/// </summary>
/// <remarks>
/// Why: `pmx list` runs on every keystroke of a deploy script, and in a Native AOT process the
/// serializer's first use costs more than the whole exchange. Building its metadata (converters,
/// property tables, attribute lookups through reflection) was about 1 ms of `pmx list`; this reads
/// the fields the table shows, and `--json` prints the daemon's `processes` array as sent.
/// </remarks>
internal static class ListExchange
{
    /// <summary>The request line, '\n' included: what <see cref="ControlRequest"/> with Command "list" would say.</summary>
    public static byte[] Request(string? filter) => filter is null ? UnfilteredRequest() : Written(filter);

    /// <summary>
    /// `pmx list` with no filter, the request scripts send most, as literal bytes: a Utf8JsonWriter's
    /// first use builds the default JavaScriptEncoder's tables, a twentieth of the CPU time of
    /// `pmx list`. ListExchangeTests compare these bytes with <see cref="Written"/>(null).
    /// </summary>
    static byte[] UnfilteredRequest() => Encoding.UTF8.GetBytes(
        $$"""{"protocol_version":{{ControlProtocol.Version.ToString(CultureInfo.InvariantCulture)}},"pmx_version":"{{BuildInfo.Version}}","command":"list","target":null,"args":[]}""" + "\n");

    /// <summary>The request line as Utf8JsonWriter writes it.</summary>
    internal static byte[] Written(string? filter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("protocol_version"u8, ControlProtocol.Version);
            json.WriteString("pmx_version"u8, BuildInfo.Version);
            json.WriteString("command"u8, "list"u8);
            if (filter is null) json.WriteNull("target"u8); else json.WriteString("target"u8, filter);
            // The serializer leaves a missing list null, not empty; the daemon expects a list.
            json.WriteStartArray("args"u8);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True for the line that ends the exchange (anything but a progress event).</summary>
    public static bool IsResult(byte[] line) => Read(line).Type != "progress";

    /// <summary>The top-level fields of an event line; <see cref="ListAnswer.Processes"/> is the raw JSON array.</summary>
    /// <exception cref="ControlProtocolException">The line is not a JSON object.</exception>
    public static ListAnswer Read(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the event is not an object");
            string? type = null, message = null;
            int? exitCode = null;
            byte[]? processes = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("type"u8)) type = reader.GetString();
                else if (name.SequenceEqual("message"u8)) message = reader.GetString();
                else if (name.SequenceEqual("exit_code"u8)) exitCode = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                else if (name.SequenceEqual("processes"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    processes = line[start..(int)reader.BytesConsumed].ToArray();
                }
                else reader.Skip();
            }
            return new ListAnswer(type, exitCode ?? ExitCodes.Failure, message, processes);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Unreadable(e);
        }
    }

    /// <summary>The rows of a `processes` array: the fields `pmx list` shows; others are skipped.</summary>
    /// <exception cref="ControlProtocolException">An element lacks name, instance or status, or has an unknown status.</exception>
    public static List<ProcessInfo> Rows(ReadOnlySpan<byte> processes)
    {
        var rows = new List<ProcessInfo>();
        try
        {
            var reader = new Utf8JsonReader(processes);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                rows.Add(Row(ref reader));
            return rows;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Unreadable(e);
        }
    }

    static ProcessInfo Row(ref Utf8JsonReader reader)
    {
        string? name = null;
        int? instance = null;
        ProcessStatus? status = null;
        int pid = 0, restarts = 0, id = 0;
        long uptimeMs = 0, memoryBytes = 0;
        double cpuPercent = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueSpan;
            reader.Read();
            if (field.SequenceEqual("name"u8)) name = reader.GetString();
            else if (field.SequenceEqual("instance"u8)) instance = reader.GetInt32();
            else if (field.SequenceEqual("id"u8)) id = reader.GetInt32();
            else if (field.SequenceEqual("pid"u8)) pid = reader.GetInt32();
            else if (field.SequenceEqual("status"u8)) status = ProcessStatusWords.Parse(reader.GetString());
            else if (field.SequenceEqual("restarts"u8)) restarts = reader.GetInt32();
            else if (field.SequenceEqual("uptime_ms"u8)) uptimeMs = reader.GetInt64();
            else if (field.SequenceEqual("cpu_percent"u8)) cpuPercent = reader.GetDouble();
            else if (field.SequenceEqual("memory_bytes"u8)) memoryBytes = reader.GetInt64();
            else reader.Skip();
        }
        if (name is null || instance is null || status is null) throw new JsonException("a process lacks name, instance or status");
        return new ProcessInfo
        {
            Name = name, Instance = instance.Value, Id = id, Pid = pid, Status = status.Value, Restarts = restarts,
            UptimeMs = uptimeMs, CpuPercent = cpuPercent, MemoryBytes = memoryBytes,
        };
    }

    static ControlProtocolException Unreadable(Exception e) =>
        new($"pmx: could not read the daemon's answer ({e.Message}). Is the daemon another pmx version? 'pmx kill' stops it.", e);
}
