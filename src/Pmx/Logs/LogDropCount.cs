using System.Text;

namespace Pmx.Logs;

/// <summary>
/// The lines one log file lost because writing it failed, and why. The daemon log hears once when
/// the loss starts and once when it ends, never once per line: a full disk under a chatty app
/// would otherwise flood daemon.log (on the same full disk) with one message per batch. A disk
/// that hovers at full (a few bytes free, then none) starts and ends many losses in a second;
/// those within <see cref="QuietPeriodMs"/> of the last reported one are marked in the file only.
/// </summary>
internal sealed class LogDropCount(string path)
{
    const int ENOSPC = 28, EDQUOT = 122;
    const long QuietPeriodMs = 60_000;

    string _reason = "";
    long? _reportedAtMs; // Environment.TickCount64 when the current loss was reported; null when it was not
    long _lastReportMs = long.MinValue / 2;

    public long Lines { get; private set; }

    /// <summary>A write or open failed; the lines it carried follow through <see cref="Add"/>.</summary>
    public void Failed(string reason)
    {
        if (Lines == 0 && _reportedAtMs is null && Environment.TickCount64 - _lastReportMs >= QuietPeriodMs)
        {
            Report($"cannot write to log file {path}: {reason}. Its lines are dropped (and counted) until writing works again; pmx keeps supervising.");
            _reportedAtMs = _lastReportMs = Environment.TickCount64;
        }
        _reason = reason;
    }

    public void Add(long lines) => Lines += lines;

    /// <summary>The line that stands where the dropped ones were.</summary>
    public byte[] Marker(LogLineFormat? format)
    {
        var text = $"[pmx: {Lines} lines dropped: {_reason}]";
        return format?.Format(text) ?? Encoding.UTF8.GetBytes(text + "\n");
    }

    /// <summary>The marker is written: the file works again.</summary>
    public void Recovered()
    {
        if (_reportedAtMs is not null)
            Report($"log file {path} is writable again; {Lines} lines were dropped ({_reason}) and one line in the file marks the gap.");
        _reportedAtMs = null;
        Lines = 0;
        _reason = "";
    }

    /// <summary>errno in words for the usual suspects; the runtime's message otherwise.</summary>
    public static string Describe(IOException e) => e.HResult switch
    {
        ENOSPC => "no space left on device",
        EDQUOT => "disk quota exceeded",
        _ => e.Message,
    };

    /// <summary>To the daemon log (stderr). Never throws: a report must not take the writer thread down.</summary>
    public static void Report(string message)
    {
        try { Console.Error.WriteLine($"pmx: {message}"); }
        catch (IOException) { /* stderr itself is on the full disk; DaemonLogWriter keeps what it can */ }
    }
}
