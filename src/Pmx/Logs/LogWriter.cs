namespace Pmx.Logs;

// Overview
// Constraints: a worker must never block because the disk is slow (DESIGN §8), and the pump
// thread that reads every worker's pipe must never wait on a write. Lines must not be lost, yet
// a stalled disk (hung NFS, full device) must not grow the daemon's memory without limit.
// Scheme: sinks format each line on the pump thread and enqueue it here; one writer thread takes
// everything queued as a batch, appends it to the targets (files, console) and flushes each target
// once per batch, so a burst costs one write(2) per file. The queue holds at most
// MaxPendingBytes (64 MiB by default, across all targets). Past it TryEnqueue refuses the line and
// the sink counts it; when room returns the sink writes one "[pmx: N lines dropped …]" line in its
// place, so the gap is visible in the file. Files are shared by path and reference-counted:
// merged logs and workers that restart reuse one open file, and the file is closed (after its
// queued lines) when the last sink using it is released.

/// <summary>The one thread that writes every log file (see Overview).</summary>
internal sealed class LogWriter : IDisposable
{
    public const long DefaultMaxPendingBytes = 64L * 1024 * 1024;

    readonly object _gate = new(); // a Monitor, not a Lock: the writer waits on it
    readonly Queue<Item> _queue = new(); // guarded by _gate
    readonly Dictionary<string, (LogFile File, int Users)> _files = new(StringComparer.Ordinal); // guarded by _gate
    readonly Thread _thread;
    readonly long _maxPendingBytes;
    long _pendingBytes;
    bool _isCompleted; // guarded by _gate

    /// <summary>The memory bound of the queue (see Overview).</summary>
    public long MaxPendingBytes => _maxPendingBytes;

    public LogWriter(long maxPendingBytes = DefaultMaxPendingBytes)
    {
        _maxPendingBytes = maxPendingBytes;
        _thread = new Thread(Run) { IsBackground = true, Name = "pmx log writer" };
        _thread.Start();
    }

    /// <summary>
    /// The open file for <paramref name="path"/>, shared with every other user of the same path.
    /// Pair with <see cref="Release"/>. Rotation settings follow the latest caller.
    /// </summary>
    public LogFile AcquireFile(string path, long maxSizeBytes, int retain, LogLineFormat? format = null)
    {
        var fullPath = Path.GetFullPath(path);
        LogFile file;
        bool isNew;
        lock (_gate)
        {
            isNew = !_files.TryGetValue(fullPath, out var entry);
            if (isNew)
            {
                entry = (new LogFile(fullPath), 0);
                OpenLogFiles.Add(fullPath);
            }
            file = entry.File;
            _files[fullPath] = (file, entry.Users + 1);
            // Read by the writer thread at its next Append; a stale value for one line is harmless.
            file.MaxSizeBytes = maxSizeBytes;
            file.Retain = retain;
            file.Format = format;
        }
        // An empty append creates the file now, so `pmx logs` finds an app that printed nothing yet.
        if (isNew) Enqueue(new Item(file, [], false, null), force: true);
        return file;
    }

    /// <summary>Closes the file after its queued lines once no sink uses it any more.</summary>
    public void Release(LogFile file) => Enqueue(new Item(file, null, IsRelease: true, Done: null), force: true);

    /// <summary>
    /// Queues one complete line (newline included). False when the queue is full (the disk is not
    /// keeping up) or the writer has stopped: the caller counts the line as dropped.
    /// </summary>
    public bool TryEnqueue(LogTarget target, byte[] line) => Enqueue(new Item(target, line, false, null), force: false);

    /// <summary>Queues a line even past the memory bound (used for the final drop marker).</summary>
    public void EnqueueAlways(LogTarget target, byte[] line) => Enqueue(new Item(target, line, false, null), force: true);

    /// <summary>Completes once everything queued before the call is written (tests, orderly shutdown).</summary>
    public Task WhenWritten()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Enqueue(new Item(null, null, false, done), force: true)) done.TrySetResult();
        return done.Task;
    }

    /// <summary>Writes everything queued, closes every file, and stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_isCompleted) return;
            _isCompleted = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
    }

    bool Enqueue(Item item, bool force)
    {
        var size = item.Line?.Length ?? 0;
        lock (_gate)
        {
            if (_isCompleted) return false;
            if (!force && _pendingBytes + size > _maxPendingBytes) return false;
            _pendingBytes += size;
            _queue.Enqueue(item);
            if (_queue.Count == 1) Monitor.Pulse(_gate);
            return true;
        }
    }

    void Run()
    {
        var batch = new List<Item>();
        var touched = new HashSet<LogTarget>(ReferenceEqualityComparer.Instance);
        while (true)
        {
            bool isLast;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_isCompleted) Monitor.Wait(_gate);
                while (_queue.TryDequeue(out var item)) batch.Add(item);
                isLast = _isCompleted;
            }
            long written = 0;
            foreach (var item in batch)
            {
                if (item.Line is not null)
                {
                    item.Target!.Append(item.Line);
                    touched.Add(item.Target);
                    written += item.Line.Length;
                }
                else if (item.IsRelease) ReleaseNow((LogFile)item.Target!);
                else
                {
                    foreach (var target in touched) target.Flush();
                    touched.Clear();
                    item.Done!.TrySetResult();
                }
            }
            foreach (var target in touched) target.Flush();
            touched.Clear();
            batch.Clear();
            lock (_gate) _pendingBytes -= written;
            if (isLast) break;
        }
        lock (_gate)
        {
            foreach (var (file, _) in _files.Values)
            {
                file.Close();
                OpenLogFiles.Remove(file.Path);
            }
            _files.Clear();
        }
    }

    void ReleaseNow(LogFile file)
    {
        lock (_gate)
        {
            var (_, users) = _files[file.Path];
            if (users > 1) { _files[file.Path] = (file, users - 1); return; }
            _files.Remove(file.Path);
            OpenLogFiles.Remove(file.Path);
        }
        file.Close();
    }

    /// <summary>A line for a target, a release of a file, or (Target null) a barrier.</summary>
    readonly record struct Item(LogTarget? Target, byte[]? Line, bool IsRelease, TaskCompletionSource? Done);
}
