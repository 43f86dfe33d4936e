namespace Pmx.Logs;

/// <summary>
/// Somewhere the log writer puts bytes: a log file or the foreground console. Only the writer
/// thread calls these members, so implementations need no locking.
/// </summary>
internal abstract class LogTarget
{
    /// <summary>Appends one complete line (newline included). The target may buffer it until <see cref="Flush"/>.</summary>
    public abstract void Append(ReadOnlySpan<byte> line);

    /// <summary>Writes what <see cref="Append"/> buffered; the writer calls it at the end of every batch.</summary>
    public abstract void Flush();

    /// <summary>Flushes and releases the underlying file; a later Append may reopen it.</summary>
    public abstract void Close();
}
