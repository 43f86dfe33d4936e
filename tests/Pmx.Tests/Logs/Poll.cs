namespace Pmx.Tests.Logs;

/// <summary>Waits for a condition by polling; the test's CancellationToken (its [Timeout]) is the deadline.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition, CancellationToken ct)
    {
        while (!condition()) await Task.Delay(10, ct);
    }
}
