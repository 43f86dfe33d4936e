namespace Pmx.Logs;

/// <summary>stdout or stderr of a worker.</summary>
internal enum LogStream { Out, Err }

/// <summary>One current log file found in PMX_HOME/logs.</summary>
/// <param name="Stem">The file name without `-out.log` / `-err.log`: `web-0`, or `web` when merged.</param>
/// <param name="App">The app name as parsed from the stem (see <see cref="LogDirectory"/> on ambiguity).</param>
/// <param name="Instance">Null for a merged file.</param>
internal sealed record LogFileEntry(string Stem, string App, int? Instance, LogStream Stream, string Path)
{
    /// <summary>How `pmx logs` names the file in front of a line: `web#0`, `web#0 err`, `web`, `web err`.</summary>
    public string Label => (Instance is null ? App : $"{App}#{Instance}") + (Stream == LogStream.Err ? " err" : "");
}

/// <summary>
/// Finds log files by name in PMX_HOME/logs, without the daemon (DESIGN §8: `pmx logs` works with
/// the daemon down). Only default-named files are found; an app's custom out_file / error_file
/// live wherever the user put them.
/// Names may end in `-&lt;digits&gt;` themselves, so `web-2-out.log` is either app `web` instance 2 or
/// app `web-2` merged. Matching an app therefore compares stems: `name` matches the stems `name`
/// and `name-&lt;digits&gt;`; only the app list shown for an unknown name uses the parsed guess.
/// </summary>
internal static class LogDirectory
{
    public static IReadOnlyList<LogFileEntry> Scan(string logsDirectory)
    {
        if (!Directory.Exists(logsDirectory)) return [];
        var entries = new List<LogFileEntry>();
        foreach (var path in Directory.EnumerateFiles(logsDirectory))
        {
            var fileName = System.IO.Path.GetFileName(path);
            var stream = fileName.EndsWith(LogPaths.OutSuffix, StringComparison.Ordinal) ? LogStream.Out
                : fileName.EndsWith(LogPaths.ErrSuffix, StringComparison.Ordinal) ? LogStream.Err
                : (LogStream?)null;
            if (stream is null) continue;
            var stem = fileName[..^LogPaths.OutSuffix.Length];
            if (stem.Length == 0) continue;
            var (app, instance) = ParseStem(stem);
            entries.Add(new LogFileEntry(stem, app, instance, stream.Value, path));
        }
        return entries
            .OrderBy(e => e.App, StringComparer.Ordinal)
            .ThenBy(e => e.Instance ?? -1)
            .ThenBy(e => e.Stream)
            .ToArray();
    }

    /// <summary>
    /// The files of app <paramref name="name"/>: its merged stem, and `name-&lt;digits&gt;` stems unless
    /// those are another app's merged files. <paramref name="knownApps"/> (the daemon's apps, null when
    /// none runs) decides that; without it, instances count up from 0, so `web-2` is `web`'s only
    /// when `web-0` and `web-1` are there too.
    /// </summary>
    /// <remarks>`name#i` (what a numeric id becomes) selects instance i's own files, never a merged one.</remarks>
    public static IReadOnlyList<LogFileEntry> ForApp(IEnumerable<LogFileEntry> entries, string name, IReadOnlyCollection<string>? knownApps = null)
    {
        var hash = name.LastIndexOf('#');
        if (hash > 0 && int.TryParse(name.AsSpan(hash + 1), System.Globalization.NumberStyles.None, null, out var only))
            return ForApp(entries, name[..hash], knownApps).Where(e => e.Instance == only).ToArray();
        var all = entries.ToArray();
        var stems = all.Select(e => e.Stem).ToHashSet(StringComparer.Ordinal);
        return all.Where(e => e.Stem == name || IsInstanceOf(e.Stem, name, stems, knownApps)).ToArray();
    }

    /// <summary>
    /// What `pmx logs` reads for <paramref name="name"/>: <see cref="ForApp"/>, except that `name#i` of
    /// an app writing merged files (merge_logs) reads those, as every instance writes there (PM2 does
    /// the same). Flushing never falls back: a merged file holds the other instances' lines too.
    /// </summary>
    public static IReadOnlyList<LogFileEntry> ToRead(IEnumerable<LogFileEntry> entries, string name, IReadOnlyCollection<string>? knownApps = null)
    {
        var all = entries as IReadOnlyList<LogFileEntry> ?? entries.ToArray();
        var own = ForApp(all, name, knownApps);
        var hash = name.LastIndexOf('#');
        if (own.Count > 0 || hash <= 0 || !int.TryParse(name.AsSpan(hash + 1), System.Globalization.NumberStyles.None, null, out _))
            return own;
        var app = name[..hash];
        return all.Where(e => e.Stem == app).ToArray();
    }

    public static IReadOnlyList<string> AppNames(IEnumerable<LogFileEntry> entries)
        => entries.Select(e => e.App).Distinct().Order(StringComparer.Ordinal).ToArray();

    static bool IsInstanceOf(string stem, string name, HashSet<string> stems, IReadOnlyCollection<string>? knownApps)
    {
        if (stem.Length <= name.Length + 1 || !stem.StartsWith(name, StringComparison.Ordinal) || stem[name.Length] != '-'
            || !int.TryParse(stem.AsSpan(name.Length + 1), System.Globalization.NumberStyles.None, null, out var instance))
            return false;
        if (knownApps is not null) return !knownApps.Contains(stem);
        for (var earlier = 0; earlier < instance; earlier++)
            if (!stems.Contains($"{name}-{earlier}")) return false;
        return true;
    }

    static (string App, int? Instance) ParseStem(string stem)
    {
        var dash = stem.LastIndexOf('-');
        if (dash > 0 && int.TryParse(stem.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var instance))
            return (stem[..dash], instance);
        return (stem, null);
    }
}
