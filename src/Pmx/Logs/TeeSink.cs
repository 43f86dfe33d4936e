namespace Pmx.Logs;

/// <summary>Delivers every line to two sinks (foreground mode: the log file and the console).</summary>
internal sealed class TeeSink(ILineSink first, ILineSink second) : ILineSink
{
    public void OnLine(ReadOnlySpan<byte> line)
    {
        first.OnLine(line);
        second.OnLine(line);
    }

    public void OnClosed()
    {
        first.OnClosed();
        second.OnClosed();
    }
}
