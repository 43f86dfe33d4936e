namespace Pmx.Logs;

/// <summary>
/// Where the output pump delivers a worker's lines. Both methods run on the pump thread, which
/// serves every worker: an implementation must copy what it keeps and never block (no disk, no
/// console), or every worker's output stalls behind it.
/// </summary>
internal interface ILineSink
{
    /// <summary>One line without its trailing '\n' (other bytes, '\r' included, are kept as written).</summary>
    void OnLine(ReadOnlySpan<byte> line);

    /// <summary>The pipe reached end of file or was detached; no more lines follow. Called exactly once.</summary>
    void OnClosed();
}
