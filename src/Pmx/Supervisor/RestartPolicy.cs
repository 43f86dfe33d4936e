using Pmx.Config;

namespace Pmx.Supervisor;

internal enum AfterExit { Restart, Stop, Error }

internal readonly record struct RestartDecision(AfterExit Action, TimeSpan Delay, int UnstableExits);

/// <summary>
/// What to do when a worker exits on its own (PM2's restart strategies):
/// - an exit sooner than min_uptime is unstable; max_restarts consecutive unstable exits mean the
///   app is broken (errored) and pmx stops trying;
/// - a stable exit resets that count and the backoff;
/// - restarts wait restart_delay, or exp_backoff_restart_delay doubled per consecutive unstable
///   exit and capped at 15 s;
/// - even with no delay configured an unstable exit waits a little, so a crash loop never spins
///   a core.
/// </summary>
internal static class RestartPolicy
{
    public static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan CrashLoopFloor = TimeSpan.FromMilliseconds(100);

    public static RestartDecision Decide(AppSpec spec, TimeSpan uptime, int unstableExitsBefore)
    {
        var isUnstable = uptime < spec.MinUptime;
        var unstable = isUnstable ? unstableExitsBefore + 1 : 0;
        if (!spec.Autorestart) return new(AfterExit.Stop, TimeSpan.Zero, unstable);
        if (unstable > spec.MaxRestarts) return new(AfterExit.Error, TimeSpan.Zero, unstable);
        return new(AfterExit.Restart, DelayFor(spec, unstable), unstable);
    }

    static TimeSpan DelayFor(AppSpec spec, int unstable)
    {
        var delay = spec.RestartDelay;
        if (spec.ExpBackoffRestartDelay > TimeSpan.Zero)
        {
            var exponent = Math.Min(Math.Max(unstable - 1, 0), 20);
            var backoff = TimeSpan.FromTicks(Math.Min(spec.ExpBackoffRestartDelay.Ticks << exponent, BackoffCap.Ticks));
            if (backoff > delay) delay = backoff;
        }
        if (unstable > 0 && delay < CrashLoopFloor) delay = CrashLoopFloor;
        return delay;
    }
}
