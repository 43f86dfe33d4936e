namespace Pmx.Config;

/// <summary>
/// One problem found in an ecosystem file. Line and column are 1-based; 0 means the problem is
/// about the file as a whole (it cannot be read, or a command-line option does not match it), and
/// then the message names the file itself.
/// </summary>
/// <param name="File">The path as the user gave it, so the line can be pasted into an editor.</param>
/// <param name="Key">The key at fault, dotted inside its app (<c>env.PORT</c>); null for syntax errors.</param>
public sealed record ConfigError(string File, int Line, int Column, string? Key, string Message)
{
    public bool HasLocation => Line > 0;

    /// <summary>
    /// <c>file:line:col: message</c>, the form compilers use and editors jump to; one line, with
    /// any control character from the file shown escaped.
    /// </summary>
    public override string ToString() =>
        ControlCharacters.Escape(HasLocation ? $"{File}:{Line}:{Column}: {Message}" : Message);
}
