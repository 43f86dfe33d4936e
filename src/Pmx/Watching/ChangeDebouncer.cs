namespace Pmx.Watching;

/// <summary>
/// One save is many events (an editor writes, renames, chmods; a build touches hundreds of files):
/// report a change once the events have settled for <paramref name="settle"/>, naming the last
/// path seen. Called from watcher threads; the callback runs on a timer thread.
/// </summary>
internal sealed class ChangeDebouncer(TimeProvider time, TimeSpan settle, Action<string> onSettled) : IDisposable
{
    readonly Lock _gate = new();
    ITimer? _timer;
    string? _lastPath;
    bool _isDisposed;

    public void OnChange(string path)
    {
        lock (_gate)
        {
            if (_isDisposed) return;
            _lastPath = path;
            if (_timer is null) _timer = time.CreateTimer(_ => Fire(), null, settle, Timeout.InfiniteTimeSpan);
            else _timer.Change(settle, Timeout.InfiniteTimeSpan); // another event: the quiet period starts again
        }
    }

    void Fire()
    {
        string? path;
        lock (_gate)
        {
            path = _lastPath;
            _lastPath = null;
        }
        if (path is not null) onSettled(path);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _isDisposed = true;
            _timer?.Dispose();
            _timer = null;
            _lastPath = null;
        }
    }
}
