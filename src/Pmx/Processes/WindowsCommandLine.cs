using System.Text;

namespace Pmx.Processes;

/// <summary>
/// argv and environment as CreateProcessW takes them (pure; unit-tested on Linux): one command
/// line quoted so the C runtime's parser (CommandLineToArgvW rules) gives the same argv back, and
/// a "NAME=value\0…\0\0" block sorted by name without regard to case, as Windows keeps it.
/// </summary>
internal static class WindowsCommandLine
{
    public static string Join(IReadOnlyList<string> argv)
    {
        var line = new StringBuilder();
        foreach (var arg in argv)
        {
            if (line.Length > 0) line.Append(' ');
            AppendQuoted(line, arg);
        }
        return line.ToString();
    }

    static void AppendQuoted(StringBuilder line, string arg)
    {
        if (arg.Length > 0 && arg.IndexOfAny([' ', '\t', '\n', '\v', '"']) < 0)
        {
            line.Append(arg);
            return;
        }
        line.Append('"');
        var backslashes = 0;
        foreach (var c in arg)
        {
            if (c == '\\') { backslashes++; continue; }
            // Backslashes are literal unless a quote follows: then each one needs doubling.
            line.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
            backslashes = 0;
            line.Append(c);
        }
        // The closing quote follows: the trailing backslashes double too.
        line.Append('\\', backslashes * 2);
        line.Append('"');
    }

    public static string EnvironmentBlock(IReadOnlyDictionary<string, string> environment)
    {
        var block = new StringBuilder();
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0') || value.Contains('\0')) continue;
            block.Append(name).Append('=').Append(value).Append('\0');
        }
        if (block.Length == 0) block.Append('\0');
        return block.Append('\0').ToString();
    }

    /// <summary>A variable's value the Windows way: names are not case-sensitive ("Path" is PATH).</summary>
    public static string? Lookup(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (environment.TryGetValue(name, out var exact)) return exact;
        foreach (var (key, value) in environment)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }
}
