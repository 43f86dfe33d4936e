namespace Pmx.Control;

/// <summary>
/// What the CLI says when the daemon does not take part in an exchange: the same words whichever
/// transport carried it (System.Net.Sockets, or <see cref="UnixSocketExchange"/> on Linux).
/// </summary>
internal static class ControlFailures
{
    public static ControlProtocolException ConnectTimedOut(string socketPath, ClientDeadlines deadlines, Exception inner) =>
        new($"pmx: the daemon at {socketPath} did not accept the connection within {ClientDeadlines.Describe(deadlines.Connect)}; " +
            $"it may be stuck — see {DaemonLogNextTo(socketPath)}.", inner);

    public static ControlProtocolException NoAnswer(string socketPath, string? command, TimeSpan answerDeadline, Exception inner)
    {
        var home = Path.GetDirectoryName(Path.GetFullPath(socketPath));
        return new ControlProtocolException(
            $"pmx: the daemon at PMX_HOME={home} accepted the connection but sent no answer to '{command}' within {ClientDeadlines.Describe(answerDeadline)}; " +
            $"it may be stuck — see {DaemonLogNextTo(socketPath)}.", inner);
    }

    public static ControlProtocolException ClosedWithoutAnswer(string socketPath, Exception? inner) =>
        new($"pmx: the daemon closed the connection without an answer; it may have crashed. See {DaemonLogNextTo(socketPath)}.", inner);

    // The socket lives in PMX_HOME (DESIGN §1), next to the log that says what happened.
    static string DaemonLogNextTo(string socketPath) =>
        new PmxHome(Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? "/").DaemonLogPath;
}
