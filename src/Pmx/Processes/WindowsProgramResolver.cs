namespace Pmx.Processes;

/// <summary>
/// Finds the file a Windows worker runs, the way a shell would (PATH, then PATHEXT's extensions),
/// so an error names what is missing; and builds the command line (a .cmd or .bat runs through
/// cmd.exe, as CreateProcess cannot start one itself).
/// </summary>
internal static class WindowsProgramResolver
{
    const string DefaultPathExt = ".COM;.EXE;.BAT;.CMD";

    public static string Resolve(string program, string cwd, IReadOnlyDictionary<string, string> environment)
    {
        var extensions = (WindowsCommandLine.Lookup(environment, "PATHEXT") ?? DefaultPathExt)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hasFolder = program.Contains('\\') || program.Contains('/') || Path.IsPathRooted(program);
        var folders = hasFolder
            ? [""]
            : (WindowsCommandLine.Lookup(environment, "PATH") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var folder in folders)
        {
            var candidate = Path.GetFullPath(Path.Combine(cwd, folder.Trim('"'), program));
            if (Path.HasExtension(candidate) && File.Exists(candidate)) return candidate;
            foreach (var extension in extensions)
                if (File.Exists(candidate + extension)) return candidate + extension;
        }
        throw new SpawnException(program, hasFolder
            ? $"cannot start '{program}': no such file (looked in '{cwd}', with the extensions {string.Join(' ', extensions)})"
            : $"cannot start '{program}': not found on the worker's PATH (with the extensions {string.Join(' ', extensions)}); add its folder to PATH in the app's env or give its full path");
    }

    /// <summary>The application CreateProcessW gets, and the whole command line.</summary>
    public static (string Application, string CommandLine) CommandLine(string resolved, IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string> environment)
    {
        string[] args = [resolved, .. argv.Skip(1)];
        var extension = Path.GetExtension(resolved);
        if (!extension.Equals(".cmd", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".bat", StringComparison.OrdinalIgnoreCase))
            return (resolved, WindowsCommandLine.Join(args));
        var shell = WindowsCommandLine.Lookup(environment, "ComSpec") ?? @"C:\Windows\System32\cmd.exe";
        // cmd /s /c "<line>": /s strips exactly the outer quotes, keeping the ones inside.
        return (shell, $"\"{shell}\" /d /s /c \"{WindowsCommandLine.Join(args)}\"");
    }
}
