namespace Pmx.Control;

/// <summary>Knobs of <see cref="ControlServer"/>; the defaults are what the daemon uses.</summary>
internal sealed record ControlServerOptions
{
    /// <summary>
    /// How long a connection may take to send its request line. The CLI writes it at once; this
    /// only frees a slot held by something that connected and went quiet.
    /// </summary>
    public TimeSpan RequestReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long, after the handler is done, the CLI may take to read the remaining events.</summary>
    public TimeSpan ResultFlushTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the server reports what went wrong with a connection (the daemon log); null to stay quiet.</summary>
    public Action<string>? Log { get; init; }
}
