namespace Pmx.Supervisor;

/// <summary>How a supervisor command ended: the CLI's exit code and its last words.</summary>
internal readonly record struct CommandOutcome(int ExitCode, string? Message)
{
    public static CommandOutcome Ok(string? message = null) => new(0, message);
    public static CommandOutcome Failed(string message) => new(1, message);
}

/// <summary>One row of `pmx list`: an instance slot as the supervisor sees it now.</summary>
internal sealed record InstanceSnapshot(
    string Name, int Instance, int Pid, string Status, int Restarts, long UptimeMs,
    double CpuPercent, long MemoryBytes, string ExecMode, int? Port, string? LastExit,
    string? StatusText, DateTimeOffset? StartedAt);
