using System.IO.Enumeration;
using Pmx.Logs;

namespace Pmx.Watching;

/// <summary>
/// `watch`: inotify (through FileSystemWatcher) on each watched path, recursively, reporting a
/// change not matched by `ignore_watch` once its events settle (<see cref="ChangeDebouncer"/>).
/// A pattern matches a path segment by name or glob ("node_modules", "*.log") or a path prefix
/// relative to the watched root ("logs/").
/// pmx's own writes never count: PMX_HOME's files (daemon.log, dump, default logs/) and every log file the
/// daemon has open (an out_file inside the watched tree) are ignored, or each printed line would
/// reload the app, which prints, which reloads it.
/// The watch is bounded: inotify needs one watch per folder (fs.inotify.max_user_watches, shared
/// by every program of the user), so a tree of more than <see cref="MaxFolders"/> folders is not
/// watched, and a watcher that fails (the limit reached later, a queue overflow) is reported,
/// never thrown into the daemon.
/// </summary>
internal sealed class AppWatcher : IDisposable
{
    public const int MaxFolders = 4096;
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromMilliseconds(300);

    readonly List<FileSystemWatcher> _watchers = [];
    readonly IReadOnlyList<string> _ignore;
    readonly string? _pmxHome;
    readonly ChangeDebouncer _debouncer;
    readonly Action<string> _onProblem;
    string? _lastProblem;

    /// <param name="onChange">Called once a burst of changes settles, with the last path changed.</param>
    /// <param name="pmxHome">Ignored as a whole; defaults to the PMX_HOME of this process.</param>
    /// <param name="onProblem">What the watch cannot do, in words; defaults to the daemon log (stderr).</param>
    public AppWatcher(IReadOnlyList<string> paths, IReadOnlyList<string> ignore, Action<string> onChange,
        TimeProvider? time = null, TimeSpan? settle = null, string? pmxHome = null, Action<string>? onProblem = null)
    {
        _ignore = ignore;
        _pmxHome = Path.TrimEndingDirectorySeparator(pmxHome ?? PmxHome.FromEnvironment().Root);
        _debouncer = new ChangeDebouncer(time ?? TimeProvider.System, settle ?? DefaultSettle, onChange);
        _onProblem = onProblem ?? (message => LogDropCount.Report(message));
        foreach (var path in paths) TryWatch(path);
    }

    void TryWatch(string path)
    {
        var isFile = File.Exists(path);
        var root = isFile ? Path.GetDirectoryName(path)! : path;
        if (!Directory.Exists(root)) return;
        if (!isFile && CountFoldersUpTo(root, MaxFolders + 1) > MaxFolders)
        {
            Problem($"watch: '{root}' holds more than {MaxFolders} folders; watching them all would use up inotify watches " +
                "(fs.inotify.max_user_watches), so pmx does not watch it. List narrower paths in watch (e.g. [\"src\"]).");
            return;
        }
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = !isFile,
            Filter = isFile ? Path.GetFileName(path) : "",
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => Report(root, e.FullPath);
        watcher.Created += (_, e) => Report(root, e.FullPath);
        watcher.Deleted += (_, e) => Report(root, e.FullPath);
        watcher.Renamed += (_, e) => Report(root, e.FullPath);
        watcher.Error += (_, e) => Problem($"watch: '{root}': {e.GetException().Message}; changes there may go unnoticed until the app is reloaded.");
        try
        {
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            watcher.Dispose();
            Problem($"watch: cannot watch '{root}': {e.Message}. The app runs on without reloading on changes there.");
        }
    }

    /// <summary>Folders under <paramref name="root"/> (itself included), counting no further than <paramref name="limit"/>.</summary>
    static int CountFoldersUpTo(string root, int limit)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return 1 + Directory.EnumerateDirectories(root, "*", options).Take(Math.Max(limit - 1, 0)).Count();
    }

    void Report(string root, string fullPath)
    {
        if (IsPmxOwn(fullPath) || IsIgnored(Path.GetRelativePath(root, fullPath), _ignore)) return;
        _debouncer.OnChange(fullPath);
    }

    /// <summary>A log file pmx writes, or one of PMX_HOME's own entries (its top-level files and logs/), not folders users keep there.</summary>
    bool IsPmxOwn(string fullPath) =>
        OpenLogFiles.IsPmxWritten(fullPath)
        || (_pmxHome is { Length: > 0 } home
            && (Path.GetDirectoryName(fullPath) == home || fullPath.StartsWith(Path.Combine(home, "logs") + "/", StringComparison.Ordinal)));

    void Problem(string message)
    {
        // Error events can repeat (every overflow); say each distinct problem once in a row.
        if (Interlocked.Exchange(ref _lastProblem, message) == message) return;
        _onProblem(message);
    }

    public static bool IsIgnored(string relativePath, IReadOnlyList<string> patterns)
    {
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var pattern in patterns)
        {
            var trimmed = pattern.Trim('/');
            if (relativePath.StartsWith(trimmed + "/", StringComparison.Ordinal) || relativePath == trimmed) return true;
            if (segments.Any(s => FileSystemName.MatchesSimpleExpression(trimmed, s, ignoreCase: false))) return true;
        }
        return false;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
        _debouncer.Dispose();
    }
}
