using System.Globalization;
using System.Text;

namespace Pmx.Config;

/// <summary>
/// A TOML basic string ("…") holding any text: every file pmx writes for its own loader to read
/// (the dump, the config `pmx start` builds) and every value an error message quotes goes through
/// here, so a newline, quote or escape sequence in a value can never end the string or the line.
/// </summary>
internal static class TomlString
{
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    // TOML forbids raw U+0000–U+001F and U+007F in basic strings; U+0080–U+009F
                    // are escaped too so a terminal never sees a C1 control from an error message.
                    if (char.IsControl(c)) quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
