using System.Globalization;

namespace Pmx.Config;

/// <summary>
/// Durations as PM2 users write them: an integer number of milliseconds (PM2's unit), or a string
/// with one unit: "500ms", "5s", "1.5s", "2m", "1h". Compound forms ("1m30s") are not accepted:
/// one unit keeps the rule short enough to state in an error message.
/// </summary>
internal static class DurationValue
{
    public const string Expected = "a number of milliseconds or a string with a unit (\"500ms\", \"5s\", \"2m\", \"1h\")";

    /// <summary>
    /// Far past any timer anyone means (about 14 600 years) yet far from TimeSpan's overflow, so
    /// sums such as "now + restart_delay" stay representable. Timers are not bounded otherwise:
    /// the supervisor handles any length, beyond the 49.7 days of one kernel timer.
    /// </summary>
    public static readonly long MaxMilliseconds = (long)(TimeSpan.MaxValue.TotalMilliseconds / 2);

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        var (number, unitMs) =
            t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1.0) :
            t.EndsWith('s') ? (t[..^1], 1000.0) :
            t.EndsWith('m') ? (t[..^1], 60_000.0) :
            t.EndsWith('h') ? (t[..^1], 3_600_000.0) :
            (null, 0.0);
        if (number is null || number.Length == 0 || !char.IsAsciiDigit(number[0])) return false;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        var ms = n * unitMs;
        if (ms > MaxMilliseconds) return false;
        value = TimeSpan.FromMilliseconds(Math.Round(ms));
        return true;
    }

    /// <summary>
    /// One unit, exact, and readable back by <see cref="TryParse"/>: "1200h", "90s", "1500ms".
    /// Files pmx writes for itself (the dump) use this, since TryParse takes no compound forms.
    /// </summary>
    public static string FormatSingleUnit(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        foreach (var (unitMs, unit) in new[] { (3_600_000L, "h"), (60_000L, "m"), (1000L, "s") })
            if (ms != 0 && ms % unitMs == 0) return (ms / unitMs).ToString(CultureInfo.InvariantCulture) + unit;
        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>The shortest exact form for people to read: "50s", "500ms", "1m30s", "2h".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var ms = (long)value.TotalMilliseconds;
        if (ms % 1000 != 0) return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        var s = ms / 1000;
        var parts = new List<string>(3);
        if (s >= 3600) { parts.Add($"{s / 3600}h"); s %= 3600; }
        if (s >= 60) { parts.Add($"{s / 60}m"); s %= 60; }
        if (s > 0) parts.Add($"{s}s");
        return string.Concat(parts);
    }
}
