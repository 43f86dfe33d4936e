namespace Pmx.Control;

/// <summary>
/// The transport under <see cref="ControlServer"/>: a Unix stream socket on Linux
/// (<see cref="UnixControlListener"/>), a named pipe on Windows (<see cref="PipeControlListener"/>).
/// Both carry the same JSON-lines protocol; the server only sees byte streams.
/// </summary>
internal interface IControlListener : IDisposable
{
    /// <summary>The next CLI connection, as a stream the server owns.</summary>
    /// <exception cref="IOException">Accepting failed; the listener may recover (EMFILE), so the server retries.</exception>
    ValueTask<Stream> AcceptAsync(CancellationToken ct);
}
