using Pmx.Control;

namespace Pmx.Cli;

/// <summary>The names of the apps the daemon supervises, asked quietly; null when no daemon answers.</summary>
internal static class RunningApps
{
    public static IReadOnlyCollection<string>? Names()
    {
        try
        {
            return DaemonConnection.Query(new ControlRequest { Command = "list" }) is { Processes: { } processes }
                ? processes.Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return null; // a daemon of another version, or one going away: fall back to the files alone
        }
    }
}
