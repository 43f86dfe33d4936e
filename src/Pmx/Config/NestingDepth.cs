namespace Pmx.Config;

/// <summary>
/// Overview: Tomlyn parses arrays and inline tables by recursion, so `a = [[[[…` 100 000 deep
/// overflows the stack — and a stack overflow ends the process, no catch can stop it (`pmx check`
/// would crash, and the daemon re-reads configs on `reload`). This scan runs first and stops at
/// the first bracket past the limit. It follows TOML's lexical rules only as far as it must: text
/// inside strings and comments is skipped; a table header's brackets count like any other, which
/// costs `[[apps]]` two of the 64 levels a real ecosystem file never comes near.
/// </summary>
internal static class NestingDepth
{
    enum Lexeme { Code, Comment, BasicString, LiteralString, MultilineBasicString, MultilineLiteralString }

    /// <summary>The 1-based line and column of the first '[' or '{' nested deeper than <paramref name="limit"/>, or null.</summary>
    public static (int Line, int Column)? FirstBeyond(string text, int limit)
    {
        var state = Lexeme.Code;
        var (depth, line, lineStart) = (0, 1, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                (line, lineStart) = (line + 1, i + 1);
                // Comments and single-line strings end at a newline (an unclosed one is Tomlyn's to report).
                if (state is Lexeme.Comment or Lexeme.BasicString or Lexeme.LiteralString) state = Lexeme.Code;
                continue;
            }
            switch (state)
            {
                case Lexeme.Code:
                    if (c == '#') state = Lexeme.Comment;
                    else if (c == '"') (state, i) = Opens(text, i, '"', Lexeme.BasicString, Lexeme.MultilineBasicString);
                    else if (c == '\'') (state, i) = Opens(text, i, '\'', Lexeme.LiteralString, Lexeme.MultilineLiteralString);
                    else if (c is '[' or '{' && ++depth > limit) return (line, i - lineStart + 1);
                    else if (c is ']' or '}' && depth > 0) depth--;
                    break;
                case Lexeme.BasicString or Lexeme.MultilineBasicString when c == '\\':
                    // Skips the escaped character; an escaped newline still has to count as a line.
                    if (i + 1 < text.Length && text[i + 1] != '\n') i++;
                    break;
                case Lexeme.BasicString when c == '"':
                case Lexeme.LiteralString when c == '\'':
                    state = Lexeme.Code;
                    break;
                case Lexeme.MultilineBasicString when IsTriple(text, i, '"'):
                case Lexeme.MultilineLiteralString when IsTriple(text, i, '\''):
                    // Up to two quotes may sit just before the closing three ("""a""""): the run's last three close it.
                    var run = 3;
                    while (run < 5 && i + run < text.Length && text[i + run] == c) run++;
                    state = Lexeme.Code;
                    i += run - 1;
                    break;
            }
        }
        return null;
    }

    static (Lexeme, int) Opens(string text, int i, char quote, Lexeme single, Lexeme multiline) =>
        IsTriple(text, i, quote) ? (multiline, i + 2) : (single, i);

    static bool IsTriple(string text, int i, char quote) =>
        i + 2 < text.Length && text[i] == quote && text[i + 1] == quote && text[i + 2] == quote;
}
