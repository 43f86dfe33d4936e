namespace Pmx.Control;

/// <summary>
/// The rules of the CLI ⇄ daemon conversation (DESIGN §7), in one place.
/// </summary>
/// <remarks>
/// Overview: the CLI connects to PMX_HOME/pmx.sock, writes one <see cref="ControlRequest"/> as a
/// single JSON line, and reads <see cref="ControlEvent"/> lines until the one of type "result",
/// which carries the exit code. One request per connection: the connection is the request's
/// lifetime, so no ids or framing beyond '\n' are needed.
///
/// Compatibility: a CLI and a daemon of different builds must still be able to say "we differ".
/// So these fields never change name or meaning in any version: in the request
/// <c>protocol_version</c>, <c>pmx_version</c>, <c>command</c>; in an event <c>type</c>,
/// <c>message</c>, <c>exit_code</c>. Everything else may change, and any change that an older
/// peer would misread bumps <see cref="Version"/>.
/// </remarks>
internal static class ControlProtocol
{
    /// <summary>Bump when a request or event changes in a way the other side would misread.</summary>
    public const int Version = 1;

    /// <summary>
    /// The longest line either side accepts. A request carries whole AppSpecs and the CLI's
    /// environment, and a reply may list every instance, so it is generous; the bound only stops
    /// a confused or hostile peer from making the other side buffer without end.
    /// </summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Commands the daemon runs even for a CLI of another protocol version. Without this, the
    /// advice a version mismatch gives ("run 'pmx kill'") could never be followed with the new CLI.
    /// Such a request reaches the handler with only its version fields and command set.
    /// </summary>
    public static IReadOnlySet<string> VersionIndependentCommands { get; } = new HashSet<string>(StringComparer.Ordinal) { "kill" };

    /// <summary>What the CLI prints when it and the daemon cannot understand each other.</summary>
    public static string VersionMismatchMessage(string cliPmxVersion, int? cliProtocol, string daemonPmxVersion, int daemonProtocol)
    {
        var cliProtocolText = cliProtocol is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        return $"pmx: this CLI is pmx {cliPmxVersion} (protocol {cliProtocolText}) but the running daemon is " +
               $"pmx {daemonPmxVersion} (protocol {daemonProtocol}), and they cannot understand each other. " +
               "Run 'pmx kill' to stop the old daemon (its apps stop too), then run your command again; " +
               "'pmx resurrect' starts what the last 'pmx save' recorded.";
    }
}
