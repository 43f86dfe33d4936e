using System.Text.Json;

namespace Pmx.Control;

/// <summary>The command of an encoded request line, read without the serializer (see <see cref="ListExchange"/> for why).</summary>
internal static class ControlRequestVerb
{
    /// <summary>The top-level "command" string; null when the line is not a JSON object or has none.</summary>
    public static string? Of(ReadOnlySpan<byte> requestLine)
    {
        try
        {
            var reader = new Utf8JsonReader(requestLine);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCommand = reader.ValueTextEquals("command"u8);
                reader.Read();
                if (isCommand) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
