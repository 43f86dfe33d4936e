namespace Pmx.Tests.Logs;

/// <summary>A clock stopped at one instant, in UTC, so timestamps are predictable.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
