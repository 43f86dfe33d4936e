namespace Pmx;

/// <summary>Counts in the words users read: "1 app", "2 apps".</summary>
internal static class English
{
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
