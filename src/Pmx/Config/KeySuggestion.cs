namespace Pmx.Config;

/// <summary>"Did you mean" for misspelt keys: the closest known key by edit distance.</summary>
internal static class KeySuggestion
{
    /// <summary>
    /// Null when nothing is close enough to be a plausible typo: a suggestion that is obviously
    /// wrong is worse than none, so the allowed distance grows slowly with the key's length.
    /// </summary>
    public static string? Closest(string key, IEnumerable<string> candidates)
    {
        var lower = key.ToLowerInvariant();
        var limit = lower.Length <= 4 ? 1 : lower.Length <= 8 ? 2 : 3;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(lower, candidate);
            if (d < bestDistance) { best = candidate; bestDistance = d; }
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions ("isntances").</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
