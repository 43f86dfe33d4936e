using System.Collections.Concurrent;

namespace Pmx.Logs;

/// <summary>
/// The log files this daemon is writing now, process-wide, so a file watcher can tell pmx's own
/// writes from the user's: an app whose out_file lies inside its watched tree would otherwise
/// reload on every line it prints, forever. Rotated names (`x.log.1`, …) count as the file.
/// A file stays pmx's for <see cref="Grace"/> after its last writer closed it: a fork-mode restart
/// closes the old worker's file before the new worker opens it again, and inotify reports the old
/// worker's last lines after that.
/// </summary>
internal static class OpenLogFiles
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    static readonly ConcurrentDictionary<string, int> Users = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, long> ClosedAtMs = new(StringComparer.Ordinal);

    public static void Add(string fullPath) => Users.AddOrUpdate(fullPath, 1, (_, users) => users + 1);

    public static void Remove(string fullPath) => Remove(fullPath, Environment.TickCount64);

    internal static void Remove(string fullPath, long nowMs)
    {
        while (Users.TryGetValue(fullPath, out var users))
        {
            if (users > 1)
            {
                if (Users.TryUpdate(fullPath, users - 1, users)) return;
                continue;
            }
            ClosedAtMs[fullPath] = nowMs;
            if (Users.TryRemove(new KeyValuePair<string, int>(fullPath, users))) return;
        }
    }

    /// <summary>
    /// True for an open log file, one of its rotated names, or the folder holding one: creating and
    /// rotating files changes that folder too (FileSystemWatcher reports the folder itself).
    /// </summary>
    public static bool IsPmxWritten(string fullPath) => IsPmxWritten(fullPath, Environment.TickCount64);

    internal static bool IsPmxWritten(string fullPath, long nowMs)
    {
        ForgetClosedBefore(nowMs - (long)Grace.TotalMilliseconds);
        return Contains(fullPath)
            || Users.Keys.Concat(ClosedAtMs.Keys).Any(path => Path.GetDirectoryName(path) == fullPath);
    }

    static bool Contains(string fullPath)
    {
        if (IsKnown(fullPath)) return true;
        var dot = fullPath.LastIndexOf('.');
        return dot > 0 && fullPath.AsSpan(dot + 1) is { Length: > 0 } generation
            && generation.IndexOfAnyExceptInRange('0', '9') < 0 && IsKnown(fullPath[..dot]);
    }

    static bool IsKnown(string fullPath) => Users.ContainsKey(fullPath) || ClosedAtMs.ContainsKey(fullPath);

    static void ForgetClosedBefore(long cutoffMs)
    {
        foreach (var (path, closedAt) in ClosedAtMs)
            if (closedAt < cutoffMs) ClosedAtMs.TryRemove(new KeyValuePair<string, long>(path, closedAt));
    }
}
