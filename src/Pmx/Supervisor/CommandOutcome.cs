namespace Pmx.Supervisor;

/// <summary>How a supervisor command ended: the CLI's exit code and its last words.</summary>
internal readonly record struct CommandOutcome(int ExitCode, string? Message)
{
    public static CommandOutcome Ok(string? message = null) => new(0, message);
    public static CommandOutcome Failed(string message) => new(1, message);
}
