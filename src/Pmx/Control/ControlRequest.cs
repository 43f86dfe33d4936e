using Pmx.Config;

namespace Pmx.Control;

/// <summary>
/// What the CLI asks the daemon: one per connection, sent as one JSON line (DESIGN §7).
/// The version fields default to this build's, so callers only set what the command needs.
/// </summary>
internal sealed record ControlRequest
{
    /// <summary><see cref="ControlProtocol.Version"/> of the sender; the daemon refuses another.</summary>
    public int ProtocolVersion { get; init; } = ControlProtocol.Version;

    /// <summary>The sender's <see cref="BuildInfo.Version"/>, so a mismatch message can name both builds.</summary>
    public string PmxVersion { get; init; } = BuildInfo.Version;

    /// <summary>The verb, as the user typed it: "up", "list", "reload", "scale", "kill", ….</summary>
    public required string Command { get; init; }

    /// <summary>The app the verb acts on: a name, "name#instance", or "all"; null when the verb takes none.</summary>
    public string? Target { get; init; }

    /// <summary>The verb's other arguments in order (scale's "+2", signal's "SIGUSR2", start's argv after --).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Validated apps from an ecosystem file or `pmx start` (up, start); null otherwise.</summary>
    public IReadOnlyList<AppSpec>? Apps { get; init; }

    /// <summary>
    /// The CLI's environment for up/start: the daemon was started by some earlier shell, so its
    /// own environment is not the one the user expects the apps to inherit.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Absolute path of the ecosystem file the apps came from, shown by describe and used by down -c.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>
    /// up: the apps are part of <see cref="ConfigPath"/>, chosen with `pmx start FILE --only`; the
    /// file is still their source (a reload re-reads it), but the file's other apps are left alone.
    /// </summary>
    public bool IsPartOfConfig { get; init; }

    /// <summary>The --env NAME the apps were resolved with, so describe can show it.</summary>
    public string? EnvName { get; init; }

    /// <summary>The CLI's working directory, for messages that mention relative paths the user typed.</summary>
    public string? WorkingDirectory { get; init; }
}
