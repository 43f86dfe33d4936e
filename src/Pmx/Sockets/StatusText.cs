using System.Globalization;
using System.Text;

namespace Pmx.Sockets;

/// <summary>
/// A worker's STATUS= text made safe to store and print: `pmx describe`, `list --json` and the
/// daemon log show it to a terminal, where an escape sequence could rewrite the screen or forge
/// output. Control characters (C0, DEL, C1) and the invisible bidirectional overrides become
/// visible escapes (\e, \n, \x07, \u202e), and the text is cut to a bounded length.
/// </summary>
internal static class StatusText
{
    /// <summary>Longer than any status line a person reads; short enough that a flood cannot bloat a listing.</summary>
    public const int MaxLength = 256;
    const string Truncated = "…";

    public static string Sanitize(string raw)
    {
        var text = new StringBuilder(Math.Min(raw.Length, MaxLength + 8));
        foreach (var c in raw)
        {
            if (text.Length >= MaxLength)
            {
                text.Append(Truncated);
                break;
            }
            AppendVisible(text, c);
        }
        return text.ToString();
    }

    static void AppendVisible(StringBuilder text, char c)
    {
        switch (c)
        {
            case '\x1b': text.Append("\\e"); return;
            case '\n': text.Append("\\n"); return;
            case '\r': text.Append("\\r"); return;
            case '\t': text.Append("\\t"); return;
        }
        if (c < 0x20 || c == 0x7f) text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
        else if (char.IsControl(c) || IsInvisibleDirectionControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        else text.Append(c);
    }

    /// <summary>Marks and overrides that reorder what a terminal shows (Unicode bidi, "Trojan Source").</summary>
    static bool IsInvisibleDirectionControl(char c) =>
        c is '\u200e' or '\u200f' or '\u061c' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029';
}
