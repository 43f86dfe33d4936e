namespace Pmx.Tests.Config;

/// <summary>Timers longer than 49.7 days (int.MaxValue ms) are ordinary config values.</summary>
public class LongDurationTests
{
    [Test]
    public async Task DurationsOfTwelveHundredHoursAndCronMonthsAwayLoad()
    {
        var result = ConfigFixture.Load("long-durations.toml");
        await Assert.That(result.ErrorText()).IsEqualTo("");
        var app = result.App("web");
        var twelveHundredHours = TimeSpan.FromHours(1200);
        await Assert.That(app.RestartDelay).IsEqualTo(twelveHundredHours);
        await Assert.That(app.ListenTimeout).IsEqualTo(twelveHundredHours);
        await Assert.That(app.KillTimeout).IsEqualTo(twelveHundredHours);
        await Assert.That(app.MinUptime).IsEqualTo(twelveHundredHours);
        await Assert.That(app.ExpBackoffRestartDelay).IsEqualTo(twelveHundredHours);
        await Assert.That(app.CronRestart).IsEqualTo("0 0 1 6 *");
    }
}
