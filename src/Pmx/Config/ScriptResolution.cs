namespace Pmx.Config;

/// <summary>
/// Turns <c>script</c> and <c>interpreter</c> as written into what the daemon will execute.
/// A missing file is only a warning: `pmx check` must pass on a fresh clone, before the
/// artifacts the file points at have been built.
/// </summary>
internal static class ScriptResolution
{
    public const string DirectExec = "none";

    /// <summary>The interpreter PM2 would pick for a script's extension; null means exec it directly.</summary>
    public static string? InferInterpreter(string script) => Path.GetExtension(script).ToLowerInvariant() switch
    {
        ".js" or ".mjs" or ".cjs" => "node",
        ".py" => "python3",
        ".sh" => "sh",
        _ => null,
    };

    public static (string Script, string? Interpreter) Resolve(AppFieldReader app, string script, string? interpreterOption, string cwd)
    {
        var interpreter = interpreterOption switch
        {
            null => InferInterpreter(script),
            DirectExec => null,
            var named => ResolveProgram(app, "interpreter", named, cwd),
        };

        var isBareName = !script.Contains('/');
        var candidate = Path.GetFullPath(Path.Combine(cwd, script));
        // A bare name with no interpreter is a command ("python3", "redis-server") unless a file
        // of that name sits in cwd; with an interpreter it can only be a file next to cwd.
        if (isBareName && interpreter is null && !File.Exists(candidate))
        {
            if (FindOnPath(script) is null)
                app.Warn("script", $"script '{script}' of {app.Label} is neither a file in {cwd} nor a command on PATH; it will fail to start until one exists");
            return (script, null);
        }

        if (!File.Exists(candidate))
            app.Warn("script", $"script '{script}' of {app.Label} does not exist yet (looked for {candidate}); build it before 'pmx up'");
        else if (interpreter is null && !IsExecutable(candidate))
            app.Warn("script", $"script '{script}' of {app.Label} is not executable; run 'chmod +x {script}' or set 'interpreter'");
        return (candidate, interpreter);
    }

    /// <summary>An interpreter path is resolved like a script; a bare name stays for PATH lookup at spawn.</summary>
    static string ResolveProgram(AppFieldReader app, string key, string program, string cwd)
    {
        if (program.Contains('/'))
        {
            var full = Path.GetFullPath(Path.Combine(cwd, program));
            if (!File.Exists(full))
                app.Warn(key, $"{key} '{program}' of {app.Label} does not exist (looked for {full})");
            return full;
        }
        if (FindOnPath(program) is null)
            app.Warn(key, $"{key} '{program}' of {app.Label} is not on PATH; install it or give its full path");
        return program;
    }

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path)) return null;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Windows has no execute bit: a file found is runnable (its extension decides how).</summary>
    static bool IsExecutable(string file) => OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
