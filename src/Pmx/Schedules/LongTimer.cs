namespace Pmx.Schedules;

// Overview
// .NET timers (and Task.Delay) reject a due time above uint.MaxValue - 1 ms, about 49.7 days: a
// cron_restart months away, restart_delay = "1200h" or a huge kill_timeout would throw on the
// supervisor loop. A LongTimer waits in steps of at most MaxStep and re-arms itself for what is
// left, measured on the monotonic clock (TimeProvider timestamps), so wall-clock jumps neither
// fire it early nor late.

/// <summary>A one-shot timer of any length. Dispose cancels it; the callback runs on a pool thread.</summary>
internal sealed class LongTimer : IDisposable
{
    /// <summary>Well under the ~49.7-day limit of System.Threading.Timer.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(7);

    readonly TimeProvider _time;
    readonly Action _callback;
    readonly long _startedAt;
    readonly TimeSpan _due;
    readonly Lock _gate = new();
    ITimer? _step;
    bool _isDisposed;

    LongTimer(TimeProvider time, TimeSpan due, Action callback)
    {
        _time = time;
        _callback = callback;
        _due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
        _startedAt = time.GetTimestamp();
    }

    public static LongTimer Start(TimeProvider time, TimeSpan due, Action callback)
    {
        var timer = new LongTimer(time, due, callback);
        timer.ArmNextStep();
        return timer;
    }

    /// <summary>Task.Delay of any length: completes after <paramref name="due"/>, or is cancelled.</summary>
    public static Task Delay(TimeProvider time, TimeSpan due, CancellationToken cancel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Start(time, due, () => done.TrySetResult());
        var registration = cancel.Register(() => { timer.Dispose(); done.TrySetCanceled(cancel); });
        done.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        return done.Task;
    }

    void ArmNextStep()
    {
        lock (_gate)
        {
            if (_isDisposed) return;
            var left = _due - _time.GetElapsedTime(_startedAt);
            if (left <= TimeSpan.Zero)
            {
                _isDisposed = true;
                _step?.Dispose();
                _step = null;
            }
            else
            {
                _step?.Dispose();
                _step = _time.CreateTimer(_ => ArmNextStep(), null, left < MaxStep ? left : MaxStep, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        _callback();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _isDisposed = true;
            _step?.Dispose();
            _step = null;
        }
    }
}
