namespace Pmx.Control;

/// <summary>The daemon's final answer to one request, as the CLI renders it.</summary>
/// <param name="ExitCode">What the CLI exits with.</param>
/// <param name="Message">For the user (stderr when the exit code is not 0); null when there is nothing to say.</param>
/// <param name="Processes">Instances to show as the list table or JSON.</param>
/// <param name="Details">The answer to describe.</param>
/// <param name="DaemonPmxVersion">The daemon's build; may differ from the CLI's when the protocol is the same.</param>
/// <param name="ConfigSources">The answer to config-sources.</param>
internal sealed record ControlResult(
    int ExitCode,
    string? Message,
    IReadOnlyList<ProcessInfo>? Processes,
    AppDetails? Details,
    string? DaemonPmxVersion,
    IReadOnlyList<ConfigSource>? ConfigSources = null);
