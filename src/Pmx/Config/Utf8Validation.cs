using System.Buffers;
using System.Text;

namespace Pmx.Config;

/// <summary>Finds the first byte that is not UTF-8, as a line and column a user can look at.</summary>
internal static class Utf8Validation
{
    /// <summary>Null when the bytes are valid UTF-8. Column counts characters, like the TOML errors do.</summary>
    public static (int Line, int Column, int Offset, byte Byte)? FindFirstInvalid(ReadOnlySpan<byte> bytes)
    {
        int line = 1, column = 1, offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out var rune, out var consumed) != OperationStatus.Done)
                return (line, column, offset, bytes[offset]);
            if (rune.Value == '\n') { line++; column = 1; }
            else column++;
            offset += consumed;
        }
        return null;
    }
}
