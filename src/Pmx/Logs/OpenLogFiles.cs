using System.Collections.Concurrent;

namespace Pmx.Logs;

/// <summary>
/// The log files this daemon is writing now, process-wide, so a file watcher can tell pmx's own
/// writes from the user's: an app whose out_file lies inside its watched tree would otherwise
/// reload on every line it prints, forever. Rotated names (`x.log.1`, …) count as the file.
/// </summary>
internal static class OpenLogFiles
{
    static readonly ConcurrentDictionary<string, int> Users = new(StringComparer.Ordinal);

    public static void Add(string fullPath) => Users.AddOrUpdate(fullPath, 1, (_, users) => users + 1);

    public static void Remove(string fullPath)
    {
        while (Users.TryGetValue(fullPath, out var users))
        {
            if (users <= 1 ? Users.TryRemove(new KeyValuePair<string, int>(fullPath, users)) : Users.TryUpdate(fullPath, users - 1, users))
                return;
        }
    }

    /// <summary>
    /// True for an open log file, one of its rotated names, or the folder holding one: creating and
    /// rotating files changes that folder too (FileSystemWatcher reports the folder itself).
    /// </summary>
    public static bool IsPmxWritten(string fullPath) =>
        Contains(fullPath) || Users.Keys.Any(path => Path.GetDirectoryName(path) == fullPath);

    public static bool Contains(string fullPath)
    {
        if (Users.ContainsKey(fullPath)) return true;
        var dot = fullPath.LastIndexOf('.');
        return dot > 0 && fullPath.AsSpan(dot + 1) is { Length: > 0 } generation
            && generation.IndexOfAnyExceptInRange('0', '9') < 0 && Users.ContainsKey(fullPath[..dot]);
    }
}
