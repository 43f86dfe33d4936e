namespace Pmx.Supervisor;

/// <summary>
/// Serialises the operations of one app (reload, scale, stop…) so two reloads never interleave
/// (PM2 #6129), while other apps and `list` go on. Lives on the supervisor loop, so no lock.
/// </summary>
internal sealed class OperationQueue
{
    Task _tail = Task.CompletedTask;

    public bool IsBusy => !_tail.IsCompleted;

    public Task<T> Enqueue<T>(Func<Task<T>> operation)
    {
        var next = RunAfter(_tail, operation);
        _tail = next;
        return next;
    }

    static async Task<T> RunAfter<T>(Task previous, Func<Task<T>> operation)
    {
        try { await previous; }
        catch { /* the previous operation's caller got its exception; this one still runs */ }
        return await operation();
    }
}
