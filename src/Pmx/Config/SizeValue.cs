using System.Globalization;

namespace Pmx.Config;

/// <summary>
/// Sizes: an integer number of bytes, or a string with a binary unit as PM2 reads them
/// ("300M" = 300 × 1024 × 1024). K, M and G may be followed by "B" or "iB" ("10MB", "10MiB") and
/// any case is accepted: all mean powers of 1024, because that is what PM2 users expect.
/// </summary>
internal static class SizeValue
{
    public const string Expected = "a number of bytes or a string with a unit (\"10K\", \"200M\", \"1G\")";

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().ToUpperInvariant();
        if (t.EndsWith("IB", StringComparison.Ordinal)) t = t[..^2];
        else if (t.EndsWith('B')) t = t[..^1];
        var multiplier = 1L;
        if (t.Length > 0 && t[^1] is 'K' or 'M' or 'G')
        {
            multiplier = t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            t = t[..^1];
        }
        if (t.Length == 0 || !t.All(char.IsAsciiDigit)) return false;
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        if (n > long.MaxValue / multiplier) return false;
        bytes = n * multiplier;
        return true;
    }

    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 && bytes > 0 ? $"{bytes >> 30}G" :
        bytes % (1L << 20) == 0 && bytes > 0 ? $"{bytes >> 20}M" :
        bytes % (1L << 10) == 0 && bytes > 0 ? $"{bytes >> 10}K" :
        bytes.ToString(CultureInfo.InvariantCulture);
}
