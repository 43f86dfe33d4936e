using Pmx.Config;

namespace Pmx.Cli;

/// <summary>`pmx check`: validate an ecosystem file and print what would run.</summary>
internal static class CheckCommand
{
    /// <summary>
    /// Exit 0 with one line per app on stdout when the file is valid; exit 2 with every error on
    /// stderr (as <c>file:line:col: message</c>, so editors can jump to them) when it is not.
    /// Warnings go to stderr either way and never change the exit code.
    /// </summary>
    public static int Run(string configPath, string? envName)
    {
        var result = ConfigLoader.Load(configPath, envName);
        if (!ConfigReport.Print(result)) return ExitCodes.Usage;

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? "/";
        foreach (var line in AppSummary.Lines(result.Apps, baseDirectory))
            Console.Out.WriteLine(line);
        return ExitCodes.Ok;
    }
}

/// <summary>
/// One aligned line per app, saying what pmx would run:
/// <c>web  4 × node ./server.js  cluster 0.0.0.0:8080  wait_ready 50s  kill SIGINT/5s</c>.
/// </summary>
static class AppSummary
{
    public static IEnumerable<string> Lines(IReadOnlyList<AppSpec> apps, string baseDirectory)
    {
        var rows = apps.Select(app => Columns(app, baseDirectory)).ToList();
        if (rows.Count == 0) yield break;
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            yield return string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd();
    }

    static string[] Columns(AppSpec app, string baseDirectory)
    {
        // Escaped: an argument may hold escape sequences that must not reach the terminal.
        var command = ControlCharacters.Escape(string.Join(' ',
            new[] { app.Interpreter }.Concat(app.InterpreterArgs.Select(Quote))
                .Append(Display(app.Script, baseDirectory))
                .Concat(app.Args.Select(Quote))
                .OfType<string>()));
        var address = app.Port is { } port ? $"{Host(app.Host)}:{port}" : "";
        var mode = app.ExecMode == ExecMode.Cluster ? $"cluster {address}" : $"fork {address}".TrimEnd();
        return
        [
            app.Name,
            $"{app.Instances} ×",
            command,
            mode,
            app.WaitReady ? $"wait_ready {DurationValue.Format(app.ListenTimeout)}" : "",
            $"kill {app.KillSignal}/{DurationValue.Format(app.KillTimeout)}",
        ];
    }

    static string Host(string host) => host.Contains(':') ? $"[{host}]" : host;

    /// <summary>Paths under the config's folder are shown as the user wrote them, relative to it.</summary>
    static string Display(string script, string baseDirectory)
    {
        if (!Path.IsPathRooted(script)) return script;
        var relative = Path.GetRelativePath(baseDirectory, script);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? script : "./" + relative;
    }

    static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '@')
            ? arg
            : "'" + arg.Replace("'", "'\\''") + "'";
}
