using Pmx.Control;

namespace Pmx.Cli;

/// <summary>What the daemon supervises, asked quietly, for verbs that work without it (logs, flush).</summary>
internal static class RunningApps
{
    /// <summary>Every instance the daemon lists; null when no daemon answers.</summary>
    public static IReadOnlyList<ProcessInfo>? Rows()
    {
        try
        {
            return DaemonConnection.Query(new ControlRequest { Command = "list" })?.Processes;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return null; // a daemon of another version, or one going away: fall back to the files alone
        }
    }

    public static IReadOnlyCollection<string>? Names(IReadOnlyList<ProcessInfo>? rows) =>
        rows?.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// PM2's numeric id names one process: "3" becomes "web#1" (the instance with id 3). An app
    /// named "3", anything not a number, or an id no process has, is returned as it is.
    /// </summary>
    public static string? ProcessTarget(string? name, IReadOnlyList<ProcessInfo>? rows)
    {
        if (name is null || rows is null || rows.Any(r => r.Name == name)
            || !int.TryParse(name, System.Globalization.NumberStyles.None, null, out var id)) return name;
        return rows.FirstOrDefault(r => r.Id == id) is { } row ? $"{row.Name}#{row.Instance}" : name;
    }
}
