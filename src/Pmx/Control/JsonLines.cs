using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pmx.Control;

/// <summary>
/// Newline-delimited JSON framing (DESIGN §7): one value per line. The source-generated writer
/// never emits a raw newline (strings escape it as \n), so '\n' always ends a value.
/// </summary>
internal static class JsonLines
{
    /// <summary>Writes the value and its '\n' in one write, so a reader never sees half a line from us.</summary>
    public static async ValueTask WriteAsync<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await stream.WriteAsync(line, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
