using Cronos;

namespace Pmx.Schedules;

/// <summary>cron_restart: 5 fields (minute precision) or 6 (with seconds), in the machine's local time like PM2.</summary>
internal static class CronSchedule
{
    public static bool TryParse(string text, out CronExpression? expression, out string? error)
    {
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            expression = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            expression = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Time until the next occurrence after <paramref name="now"/>; null if there is none.</summary>
    public static TimeSpan? Until(CronExpression expression, DateTimeOffset now)
    {
        var next = expression.GetNextOccurrence(now, TimeZoneInfo.Local);
        return next is { } at ? at - now : null;
    }
}
