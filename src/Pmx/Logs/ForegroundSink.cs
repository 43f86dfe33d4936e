using System.Text;

namespace Pmx.Logs;

/// <summary>
/// Foreground mode (`pmx up --no-daemon`): prints `name#instance | line` (no timestamp: container
/// runtimes and CI add their own). Lines reach the console through the log writer thread, so
/// they never interleave mid-line and a slow console never stalls the pump.
/// </summary>
internal sealed class ForegroundSink(LogWriter writer, StreamTarget console, string name, int instance) : QueuedLineSink(writer, console)
{
    readonly byte[] _prefix = Encoding.UTF8.GetBytes($"{name}#{instance} | ");

    protected override byte[] Format(ReadOnlySpan<byte> line)
    {
        var result = new byte[_prefix.Length + line.Length + 1];
        _prefix.CopyTo(result, 0);
        line.CopyTo(result.AsSpan(_prefix.Length));
        result[^1] = (byte)'\n';
        return result;
    }
}
