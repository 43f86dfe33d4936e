using System.Globalization;

namespace Pmx.Supervisor;

/// <summary>Durations in log lines and CLI messages: "35 ms", "1.5 s", "2 min".</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan duration)
    {
        var ms = duration.TotalMilliseconds;
        if (ms < 1000) return ((long)Math.Round(ms)).ToString(CultureInfo.InvariantCulture) + " ms";
        if (ms < 60_000) return (ms / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s";
        if (ms < 3_600_000) return (ms / 60_000).ToString("0.#", CultureInfo.InvariantCulture) + " min";
        return (ms / 3_600_000).ToString("0.#", CultureInfo.InvariantCulture) + " h";
    }
}
