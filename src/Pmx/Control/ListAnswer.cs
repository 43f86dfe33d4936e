namespace Pmx.Control;

/// <summary>The daemon's answer to `list` as read by <see cref="ListExchange.Read"/>.</summary>
/// <param name="Processes">The `processes` JSON array exactly as the daemon wrote it; null when absent.</param>
internal sealed record ListAnswer(string? Type, int ExitCode, string? Message, byte[]? Processes);
