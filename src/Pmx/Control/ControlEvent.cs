using System.Text.Json.Serialization;

namespace Pmx.Control;

/// <summary>Whether an event is one step of a longer command or its end.</summary>
internal enum ControlEventType { Progress, Result }

/// <summary>
/// One line the daemon streams back: any number of "progress" events (shown as they happen, e.g.
/// each slot of a reload), then exactly one "result" that carries the exit code and ends the
/// conversation. Absent fields are left out of the line rather than written as null.
/// </summary>
internal sealed record ControlEvent
{
    public required ControlEventType Type { get; init; }

    /// <summary>A progress line, or the result's message for the user (an error says what to do).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>The CLI's exit code (<see cref="ExitCodes"/>); set on results only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExitCode { get; init; }

    /// <summary>The instances the command concerns (list, and commands that end by showing the table).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProcessInfo>? Processes { get; init; }

    /// <summary>The answer to describe.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AppDetails? Details { get; init; }

    /// <summary>The answer to config-sources: the ecosystem files a reload of the target re-reads.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ConfigSource>? ConfigSources { get; init; }

    /// <summary>The daemon's build, on results: lets the CLI notice a daemon of another release that still speaks its protocol.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PmxVersion { get; init; }

    public static ControlEvent Progress(string message) => new() { Type = ControlEventType.Progress, Message = message };
}
