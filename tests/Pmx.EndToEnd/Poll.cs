using System.Diagnostics;

namespace Pmx.Testing;

/// <summary>
/// Waits for a condition with a deadline; never a fixed sleep. The one copy for both test
/// projects (Pmx.Tests links this file), imported everywhere by a global using.
/// </summary>
public static class Poll
{
    public static async Task Until(Func<Task<bool>> condition, TimeSpan deadline, string what, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return;
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"waited {deadline.TotalSeconds:0.#} s for {what}");
            await Task.Delay(20, ct);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan deadline, string what, CancellationToken ct = default) =>
        Until(() => Task.FromResult(condition()), deadline, what, ct);
}
