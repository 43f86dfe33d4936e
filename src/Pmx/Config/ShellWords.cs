using System.Text;

namespace Pmx.Config;

/// <summary>
/// Splits <c>args = "--port 80 --name 'my app'"</c> into argv the way a POSIX shell would word-split
/// it, without ever running a shell: no variables, globs or substitutions, only quoting.
/// Single quotes keep everything literally; double quotes honour backslash before " \ $ and `;
/// outside quotes a backslash escapes the next character.
/// </summary>
internal static class ShellWords
{
    public static bool TrySplit(string text, out List<string> words, out string error)
    {
        words = [];
        error = "";
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            if (c == '\\')
            {
                if (i + 1 == text.Length) { error = "ends with a lone backslash"; return false; }
                word.Append(text[++i]);
            }
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                if (end < 0) { error = "has an unterminated single quote"; return false; }
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; ; i++)
                {
                    if (i == text.Length) { error = "has an unterminated double quote"; return false; }
                    if (text[i] == '"') break;
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') i++;
                    word.Append(text[i]);
                }
            }
            else word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return true;
    }
}
