using Pmx.Logs;

namespace Pmx.Cli;

/// <summary>
/// `pmx flush [name|name#i|id]`: empties the current log files of an app (or every app) and deletes their
/// rotated files. Safe while the daemon writes them: it opens them with O_APPEND and re-reads the
/// size, so its next line lands at the start of the emptied file.
/// </summary>
internal static class FlushCommand
{
    public static int Run(string? name)
    {
        var rows = RunningApps.Rows();
        return Run(PmxHome.FromEnvironment(), RunningApps.ProcessTarget(name, rows), Console.Out, Console.Error, RunningApps.Names(rows));
    }

    /// <param name="knownApps">The daemon's apps (null when none runs): they tell `web`'s instance 2 from app `web-2`'s merged log.</param>
    public static int Run(PmxHome home, string? name, TextWriter stdout, TextWriter stderr, IReadOnlyCollection<string>? knownApps = null)
    {
        var all = LogDirectory.Scan(home.LogsDirectory);
        var entries = name is null ? all : LogDirectory.ForApp(all, name, knownApps);
        if (name is not null && entries.Count == 0)
        {
            stderr.WriteLine(LogsCommand.UnknownAppMessage(home, name, all));
            return ExitCodes.Failure;
        }
        var failures = 0;
        foreach (var entry in entries)
        {
            try
            {
                using (var file = new FileStream(entry.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    file.SetLength(0);
                LogRotation.DeleteFrom(entry.Path, 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"pmx: cannot flush {entry.Path}: {e.Message}");
                failures++;
            }
        }
        var what = name is null ? "every app" : $"'{name}'";
        stdout.WriteLine($"pmx: flushed {entries.Count - failures} log file(s) of {what} in {home.LogsDirectory}.");
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
