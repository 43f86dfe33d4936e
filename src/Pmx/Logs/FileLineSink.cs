namespace Pmx.Logs;

/// <summary>Timestamps a worker's lines into its log file (see <see cref="LogLineFormat"/>).</summary>
internal sealed class FileLineSink(LogWriter writer, LogFile file, LogLineFormat format) : QueuedLineSink(writer, file)
{
    protected override byte[] Format(ReadOnlySpan<byte> line) => format.Format(line);

    /// <summary>The worker's pipe is done: the file closes once no other instance shares it.</summary>
    protected override void OnFinished() => Writer.Release(file);
}
