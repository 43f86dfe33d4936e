using System.Globalization;
using System.Text;

namespace Pmx.Config;

/// <summary>
/// Text from a config file on its way to a terminal: a value may hold escape sequences (clear the
/// screen, retitle the window, fake an "ok" line) or newlines that forge a second message. Each
/// control character is shown as an escape instead; everything else, quotes included, is kept.
/// </summary>
internal static class ControlCharacters
{
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var shown = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!char.IsControl(c)) shown.Append(c);
            else if (c == '\n') shown.Append("\\n");
            else if (c == '\r') shown.Append("\\r");
            else if (c == '\t') shown.Append("\\t");
            else shown.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return shown.ToString();
    }
}
