using System.Globalization;
using System.Text;

namespace Pmx.Logs;

/// <summary>
/// How a line looks in a log file: `&lt;timestamp&gt;: &lt;line&gt;\n`, e.g.
/// `2026-11-25 04:20:01.123: hello`. The timestamp is the local time the daemon read the line,
/// formatted with the app's log_date_format (a .NET custom date format, invariant culture).
/// A format .NET rejects falls back to the default rather than losing the line; config
/// validation is where the user hears about it.
/// </summary>
internal sealed class LogLineFormat
{
    public const string DefaultDateFormat = "yyyy-MM-dd HH:mm:ss.fff";
    static readonly byte[] Separator = ": "u8.ToArray();

    readonly string _dateFormat;
    readonly TimeProvider _time;
    readonly bool _stamped;

    /// <param name="stamped">PM2's `time`: without it a line is written as the app wrote it.</param>
    public LogLineFormat(string? dateFormat, TimeProvider? time = null, bool stamped = true)
    {
        _stamped = stamped;
        _time = time ?? TimeProvider.System;
        _dateFormat = IsUsable(dateFormat) ? dateFormat! : DefaultDateFormat;
    }

    public byte[] Format(ReadOnlySpan<byte> line)
    {
        if (!_stamped) return [.. line, (byte)'\n'];
        Span<byte> stamp = stackalloc byte[128];
        if (!_time.GetLocalNow().TryFormat(stamp, out var stampLength, _dateFormat, CultureInfo.InvariantCulture))
            stampLength = 0; // a format producing over 128 bytes: keep the line, lose the stamp
        var result = new byte[stampLength + Separator.Length + line.Length + 1];
        stamp[..stampLength].CopyTo(result);
        Separator.CopyTo(result.AsSpan(stampLength));
        line.CopyTo(result.AsSpan(stampLength + Separator.Length));
        result[^1] = (byte)'\n';
        return result;
    }

    public byte[] Format(string pmxMessage) => Format(Encoding.UTF8.GetBytes(pmxMessage));

    static bool IsUsable(string? format)
    {
        if (string.IsNullOrEmpty(format)) return false;
        try
        {
            _ = DateTimeOffset.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
