namespace Pmx.Control;

/// <summary>
/// How a command handler answers the CLI that asked: any number of progress lines, then exactly
/// one result. Safe to call from any thread.
/// </summary>
/// <remarks>
/// Neither call waits for the CLI: events are queued and written in order by the connection, so
/// a slow or vanished CLI never stalls the supervisor. If the CLI has gone, events are dropped
/// silently and the command carries on (a reload is never left half-done because someone pressed
/// Ctrl-C or closed a terminal).
/// </remarks>
internal interface IControlResponder
{
    /// <summary>One step of a longer command ("web#0: new worker 4242 is ready").</summary>
    /// <exception cref="InvalidOperationException">The result was already sent.</exception>
    ValueTask Progress(string message);

    /// <summary>Ends the conversation with the CLI's exit code and what it should show.</summary>
    /// <exception cref="InvalidOperationException">A result was already sent.</exception>
    ValueTask Result(int exitCode, string? message = null, IReadOnlyList<ProcessInfo>? processes = null, AppDetails? details = null,
        IReadOnlyList<ConfigSource>? configSources = null);
}
