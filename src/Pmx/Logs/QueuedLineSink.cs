namespace Pmx.Logs;

/// <summary>
/// A sink that formats each line on the pump thread and hands it to the log writer, never
/// waiting. When the writer's queue is full it counts the dropped lines and, as soon as there is
/// room again (or at close), writes one "[pmx: N lines dropped …]" line where they were.
/// </summary>
internal abstract class QueuedLineSink(LogWriter writer, LogTarget target) : ILineSink
{
    long _droppedLines; // pump thread only

    protected LogWriter Writer { get; } = writer;
    protected LogTarget Target { get; } = target;

    protected abstract byte[] Format(ReadOnlySpan<byte> line);

    public void OnLine(ReadOnlySpan<byte> line)
    {
        if (_droppedLines > 0)
        {
            if (!Writer.TryEnqueue(Target, DropMarker())) { _droppedLines++; return; }
            _droppedLines = 0;
        }
        if (!Writer.TryEnqueue(Target, Format(line))) _droppedLines++;
    }

    public void OnClosed()
    {
        if (_droppedLines > 0) Writer.EnqueueAlways(Target, DropMarker());
        _droppedLines = 0;
        OnFinished();
    }

    /// <summary>After the last line: give back what the sink holds.</summary>
    protected virtual void OnFinished() { }

    static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    byte[] DropMarker() => Format(System.Text.Encoding.UTF8.GetBytes(
        $"[pmx: {_droppedLines} lines dropped: the log writer fell {Describe(Writer.MaxPendingBytes)} behind (is the disk slow or full?)]"));
}
