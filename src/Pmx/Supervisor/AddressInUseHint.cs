using System.Text.RegularExpressions;

namespace Pmx.Supervisor;

/// <summary>
/// What pmx says when a worker reports EADDRINUSE: which port, and the two ways pmx avoids the
/// clash (a cluster app shares one socket pmx owns; socket activation hands the worker fd 3).
/// </summary>
internal static partial class AddressInUseHint
{
    /// <summary>"port 8080 is already in use (EADDRINUSE) — …" for the line the worker printed.</summary>
    public static string For(string line)
    {
        var port = PortOf(line);
        return (port is null ? "a port" : $"port {port}") + " is already in use (EADDRINUSE) — another instance or program holds it; "
            + "run the app in exec_mode = \"cluster\" (pmx shares one socket) or set port = and accept the socket pmx passes (fd 3)";
    }

    /// <summary>The last ":NNNN" of the line: Node's ":::8080", Go's "127.0.0.1:8080: bind", "0.0.0.0:8080".</summary>
    public static int? PortOf(string line)
    {
        var matches = PortPattern().Matches(line);
        for (var i = matches.Count - 1; i >= 0; i--)
            if (int.TryParse(matches[i].Groups[1].ValueSpan, out var port) && port is > 0 and <= 65535) return port;
        return null;
    }

    [GeneratedRegex(@":(\d{1,5})(?!\d)")]
    private static partial Regex PortPattern();
}
