using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pmx.Control;

/// <summary>
/// Newline-delimited JSON framing (DESIGN §7): one value per line. The source-generated writer
/// never emits a raw newline (strings escape it as \n), so '\n' always ends a value.
/// </summary>
internal static class JsonLines
{
    /// <summary>The value as one line, '\n' included.</summary>
    public static byte[] Encode<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>Writes the value and its '\n' in one write, so a reader never sees half a line from us.</summary>
    public static ValueTask WriteAsync<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, CancellationToken ct) =>
        WriteLineAsync(stream, Encode(value, typeInfo), ct);

    public static async ValueTask WriteLineAsync(Stream stream, byte[] line, CancellationToken ct)
    {
        await stream.WriteAsync(line, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
