using System.Globalization;

namespace Pmx.Control;

/// <summary>
/// How long the CLI waits for the daemon before it says so and gives up: a daemon whose loop is
/// stuck must not freeze the user's shell (issue 11).
/// </summary>
/// <remarks>
/// Long commands (up, stop, reload, kill…) get no answer deadline: they wait for processes whose
/// kill_timeout or readiness wait may legitimately take minutes, and the daemon cannot prove it is
/// alive while its loop runs them. Quick queries answer from the loop's state at once, so their
/// silence means the loop is stuck.
/// </remarks>
internal sealed record ClientDeadlines(TimeSpan Connect, TimeSpan? Answer)
{
    /// <summary>Overrides the quick queries' answer deadline, in milliseconds (tests; a very loaded machine).</summary>
    public const string AnswerOverrideVariable = "PMX_CLIENT_TIMEOUT_MS";

    static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(5);
    static readonly TimeSpan QuickAnswerDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Queries the daemon answers from its state without waiting for any process.</summary>
    static bool IsQuick(string? command) => command is "list" or "describe" or "save" or "signal";

    public static ClientDeadlines For(string? command) => new(ConnectDeadline, IsQuick(command) ? QuickAnswer() : null);

    static TimeSpan QuickAnswer() =>
        int.TryParse(Environment.GetEnvironmentVariable(AnswerOverrideVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : QuickAnswerDeadline;

    /// <summary>"10 s", "1.5 s": how the deadline reads in a message.</summary>
    public static string Describe(TimeSpan deadline) => $"{deadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
