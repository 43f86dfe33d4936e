namespace Pmx.Cli;

/// <summary>
/// `pmx startup` on Windows: a value under HKCU\...\CurrentVersion\Run, the per-user logon list
/// Windows runs with no administrator rights (what PM2 users add by hand or with
/// pm2-windows-startup). It runs `pmx resurrect`, which starts the daemon detached and returns.
/// A Run entry carries no environment, so a PMX_HOME other than the default one is set by cmd.exe
/// first; each PMX_HOME gets its own value name, so two homes never overwrite each other's entry.
/// </summary>
internal static class LogonEntry
{
    public const string RunKey = @"Software\Microsoft\Windows\CurrentVersion\Run";
    public const string DefaultName = "pmx";

    /// <summary>The Run value's name: "pmx" for the default PMX_HOME, "pmx PATH" for another.</summary>
    public static string Name(string pmxHome, string defaultPmxHome) =>
        IsDefault(pmxHome, defaultPmxHome) ? DefaultName : $"{DefaultName} {pmxHome.TrimEnd('\\', '/')}";

    /// <summary>What Windows runs at logon; null with <paramref name="problem"/> when a path cannot be carried safely.</summary>
    public static string? Command(string pmxPath, string pmxHome, string defaultPmxHome, out string? problem)
    {
        problem = Unsafe("the path of pmx", pmxPath) ?? Unsafe("PMX_HOME", pmxHome);
        if (problem != null) return null;
        var resurrect = $"\"{pmxPath}\" resurrect";
        if (IsDefault(pmxHome, defaultPmxHome)) return resurrect;
        // cmd expands %NAME% even inside quotes, so a '%' is refused by Unsafe; /d skips AutoRun
        // commands, and `set "X=v"` keeps spaces and &|<> in the value as they are.
        return $"cmd.exe /d /c set \"PMX_HOME={pmxHome}\"&& {resurrect}";
    }

    static bool IsDefault(string pmxHome, string defaultPmxHome) =>
        string.Equals(pmxHome.TrimEnd('\\', '/'), defaultPmxHome.TrimEnd('\\', '/'), StringComparison.OrdinalIgnoreCase);

    static string? Unsafe(string what, string value)
    {
        if (value.Contains('"')) return $"{what} contains '\"'";
        if (value.Contains('%')) return $"{what} contains '%', which cmd.exe would expand at logon";
        if (value.Any(char.IsControl)) return $"{what} contains a control character";
        return null;
    }
}
