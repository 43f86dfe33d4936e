using System.Globalization;

namespace Pmx.TestWorker;

/// <summary>Parses the durations flags take: <c>500ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>, <c>1h</c>, or a bare <c>0</c>.</summary>
static class Duration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == "0") return true;
        // "ms" must be tried before "s": "500ms" also ends in "s", and "500m" is no number.
        (string Suffix, double Milliseconds)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, milliseconds) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var number = text[..^suffix.Length];
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
            value = TimeSpan.FromMilliseconds(amount * milliseconds);
            return true;
        }
        return false;
    }

    /// <summary>Seconds as <c>sleep(1)</c> takes them: invariant culture, fractions allowed.</summary>
    public static string ToSleepArgument(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
