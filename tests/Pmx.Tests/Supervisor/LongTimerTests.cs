using Microsoft.Extensions.Time.Testing;
using Pmx.Schedules;

namespace Pmx.Tests.Supervisor;

public class LongTimerTests
{
    [Test]
    public async Task ATimerFarBeyondFortyNineDaysFiresOnceAtItsDueTimeAndNotBefore()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var due = TimeSpan.FromHours(1200) + TimeSpan.FromDays(100);
        var fired = 0;
        using var timer = LongTimer.Start(time, due, () => Interlocked.Increment(ref fired));
        time.Advance(due - TimeSpan.FromSeconds(1));
        await Assert.That(fired).IsEqualTo(0);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.That(fired).IsEqualTo(1);
        time.Advance(TimeSpan.FromDays(400));
        await Assert.That(fired).IsEqualTo(1);
    }

    [Test]
    public async Task ADisposedLongTimerNeverFires()
    {
        var time = new FakeTimeProvider();
        var fired = 0;
        var timer = LongTimer.Start(time, TimeSpan.FromDays(60), () => Interlocked.Increment(ref fired));
        time.Advance(TimeSpan.FromDays(30));
        timer.Dispose();
        time.Advance(TimeSpan.FromDays(60));
        await Assert.That(fired).IsEqualTo(0);
    }

    [Test]
    public async Task ALongDelayCompletesAfterItsDueTime()
    {
        var time = new FakeTimeProvider();
        var delay = LongTimer.Delay(time, TimeSpan.FromDays(90), CancellationToken.None);
        time.Advance(TimeSpan.FromDays(89));
        await Assert.That(delay.IsCompleted).IsFalse();
        time.Advance(TimeSpan.FromDays(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.That(delay.IsCompletedSuccessfully).IsTrue();
    }
}
