namespace Pmx.Tests.Processes;

/// <summary>Waits for a condition by checking it repeatedly until a deadline: no sleep stands in for synchronisation.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition, TimeSpan deadline, string what, CancellationToken cancellationToken)
    {
        var stopAt = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > stopAt) throw new TimeoutException($"gave up after {deadline.TotalSeconds:0.#} s waiting for {what}");
            await Task.Delay(20, cancellationToken);
        }
    }
}
