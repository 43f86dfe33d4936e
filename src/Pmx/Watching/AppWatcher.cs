using System.IO.Enumeration;

namespace Pmx.Watching;

/// <summary>
/// `watch`: inotify (through FileSystemWatcher) on each watched path, recursively, reporting any
/// change not matched by `ignore_watch`. A pattern matches a path segment by name or glob
/// ("node_modules", "*.log") or a path prefix relative to the watched root ("logs/").
/// </summary>
internal sealed class AppWatcher : IDisposable
{
    readonly List<FileSystemWatcher> _watchers = [];
    readonly IReadOnlyList<string> _ignore;
    readonly Action<string> _onChange;

    public AppWatcher(IReadOnlyList<string> paths, IReadOnlyList<string> ignore, Action<string> onChange)
    {
        _ignore = ignore;
        _onChange = onChange;
        foreach (var path in paths)
        {
            var isFile = File.Exists(path);
            var root = isFile ? Path.GetDirectoryName(path)! : path;
            if (!Directory.Exists(root)) continue;
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
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    void Report(string root, string fullPath)
    {
        if (!IsIgnored(Path.GetRelativePath(root, fullPath), _ignore)) _onChange(fullPath);
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
    }
}
