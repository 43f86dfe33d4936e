using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Logs;

// Overview
// Constraints: a daemon may run 500 workers, each with a stdout and a stderr pipe. A thread (or a
// blocked thread-pool thread) per pipe would cost 1000 threads; a worker must never block because
// pmx is slow, so the pipes are drained promptly and nothing on this path touches the disk.
// Scheme: one thread owns an epoll set holding every pipe read end (made O_NONBLOCK) plus an
// eventfd. Attach/detach/stop requests from other threads go into a queue and the eventfd wakes
// the thread to apply them, so the registration table has a single owner and needs no lock.
// On readiness the thread reads a bounded amount per pipe (level-triggered epoll reports the rest
// on the next turn, which keeps one chatty worker from starving the others), splits lines and
// hands them to the pipe's sink. End of file, a read error, or a detach flushes the partial last
// line, calls OnClosed once, and closes the read end.

/// <summary>The one thread that reads every worker's stdout and stderr pipe (see Overview).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class OutputPump : IOutputPump
{
    const ulong WakeToken = 0;
    const int ReadBufferBytes = 64 * 1024;
    /// <summary>Reads per pipe per readiness report; the bound that keeps the pump fair.</summary>
    const int ReadsPerTurn = 4;
    /// <summary>A detach drains what is already in the pipe, but stops here if a writer keeps going.</summary>
    const int DetachDrainBytes = 1024 * 1024;
    const int MaxEvents = 64;

    readonly SafeFileHandle _epoll;
    readonly SafeFileHandle _wake;
    readonly Thread _thread;
    readonly ConcurrentQueue<(Attachment Attachment, bool IsAttach)> _requests = new();
    readonly Dictionary<ulong, Attachment> _attached = []; // pump thread only
    readonly byte[] _readBuffer = new byte[ReadBufferBytes]; // pump thread only
    readonly Lock _gate = new(); // orders requests against the stop, so none is left unapplied
    long _nextToken; // tokens start at 1; 0 is the eventfd
    volatile bool _isStopping;

    /// <summary>How long one turn waits for its lines to be written before reading on (a stalled disk must not stall the workers for long).</summary>
    static readonly TimeSpan DefaultWrittenWait = TimeSpan.FromMilliseconds(100);
    readonly Func<Task>? _whenWritten;
    readonly TimeSpan _writtenWait;

    /// <param name="whenWritten">
    /// When given, each turn peeks at the pipes instead of reading them, waits until the lines it
    /// delivered are written, and only then takes their bytes out (OutputPump.Peek.cs): a daemon
    /// killed at any instant leaves every line it has not written in the pipe the keeper holds.
    /// </param>
    /// <param name="writtenWait">How long a turn waits for the writer before taking the bytes anyway: a stalled disk must not stall the workers for long.</param>
    public OutputPump(Func<Task>? whenWritten = null, TimeSpan? writtenWait = null)
    {
        _whenWritten = whenWritten;
        _writtenWait = writtenWait ?? DefaultWrittenWait;
        if (whenWritten != null) (_peekRead, _peekWrite) = OpenPeekPipe();
        _epoll = OpenOrThrow(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
        _wake = OpenOrThrow(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        Register(_wake, WakeToken);
        _thread = new Thread(Run) { IsBackground = true, Name = "pmx output pump" };
        _thread.Start();
    }

    /// <summary>Number of pipes currently watched (read on the pump thread; approximate elsewhere).</summary>
    public int AttachedCount => Volatile.Read(ref _attachedCount);
    int _attachedCount;

    /// <summary>
    /// Starts delivering the lines of <paramref name="readEnd"/> to <paramref name="sink"/>. The pump
    /// owns the handle from now on and closes it at end of file or detach. Dispose the result to
    /// detach early (what is already in the pipe is still delivered, then OnClosed).
    /// </summary>
    public IDisposable Attach(SafeFileHandle readEnd, ILineSink sink)
    {
        if (!TryAddStatusFlags((int)readEnd.DangerousGetHandle(), O_NONBLOCK))
            throw Failure("fcntl(O_NONBLOCK) on a worker pipe");
        var attachment = new Attachment(this, (ulong)Interlocked.Increment(ref _nextToken), readEnd, sink);
        if (!Request(attachment, isAttach: true)) throw new ObjectDisposedException(nameof(OutputPump));
        return attachment;
    }

    /// <summary>
    /// Stops the thread after delivering what every pipe already holds: each attached pipe gets its
    /// partial line flushed, OnClosed, and its read end closed. Flush the sinks' writer after this.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_isStopping) return;
            _isStopping = true;
            Wake();
        }
        if (Thread.CurrentThread != _thread) _thread.Join();
        _wake.Dispose();
        _epoll.Dispose();
        _peekRead?.Dispose();
        _peekWrite?.Dispose();
    }

    /// <summary>False once stopping: the pump thread has already drained everything.</summary>
    bool Request(Attachment attachment, bool isAttach)
    {
        lock (_gate)
        {
            if (_isStopping) return false;
            _requests.Enqueue((attachment, isAttach));
            Wake(); // inside the gate: after the stop the eventfd is closed
        }
        return true;
    }

    void Wake()
    {
        // Fails only if the counter would overflow (it cannot: the pump reads it on every wake).
        eventfd_write(_wake, 1);
    }

    unsafe void Run()
    {
        var events = stackalloc byte[MaxEvents * EpollEventSize];
        while (true)
        {
            var ready = epoll_wait((int)_epoll.DangerousGetHandle(), events, MaxEvents, -1);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == (int)ReadErrno.EINTR) continue;
                Environment.FailFast($"pmx internal error: epoll_wait failed (errno {Marshal.GetLastPInvokeError()})");
            }
            var delivered = false;
            for (var i = 0; i < ready; i++)
            {
                var token = *(ulong*)(events + i * EpollEventSize + EpollEventDataOffset);
                if (token == WakeToken) ApplyRequests();
                else if (_attached.TryGetValue(token, out var attachment))
                {
                    if (_peekWrite is null) Service(attachment, ReadsPerTurn * ReadBufferBytes);
                    else Peek(attachment);
                    delivered = true;
                }
            }
            if (delivered) _whenWritten?.Invoke().Wait(_writtenWait);
            TakePeeked();
            if (_isStopping) break;
        }
        ApplyRequests();
        foreach (var attachment in _attached.Values.ToArray()) DrainAndClose(attachment);
    }

    void ApplyRequests()
    {
        eventfd_read(_wake, out _);
        while (_requests.TryDequeue(out var request))
        {
            var attachment = request.Attachment;
            if (request.IsAttach)
            {
                _attached.Add(attachment.Token, attachment);
                Interlocked.Increment(ref _attachedCount);
                Register(attachment.ReadEnd, attachment.Token);
            }
            else if (_attached.ContainsKey(attachment.Token))
            {
                DrainAndClose(attachment);
            }
        }
    }

    void DrainAndClose(Attachment attachment)
    {
        Take(attachment); // already delivered this turn: the drain must not deliver it again
        if (Service(attachment, DetachDrainBytes)) Close(attachment);
    }

    /// <summary>Reads up to <paramref name="budgetBytes"/>; returns true while the pipe stays open.</summary>
    unsafe bool Service(Attachment attachment, int budgetBytes)
    {
        var fd = (int)attachment.ReadEnd.DangerousGetHandle();
        fixed (byte* buffer = _readBuffer)
        {
            while (budgetBytes > 0)
            {
                var count = read(fd, buffer, (nuint)_readBuffer.Length);
                if (count > 0)
                {
                    try { attachment.Splitter.Push(_readBuffer.AsSpan(0, (int)count), attachment.Sink); }
                    catch (Exception e) { ReportSinkFailure(e); }
                    budgetBytes -= (int)count;
                    continue;
                }
                if (count < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == (int)ReadErrno.EINTR) continue;
                    if (errno == (int)ReadErrno.EAGAIN) return true;
                    Console.Error.WriteLine($"pmx: reading a worker's output failed (errno {errno}); its remaining output is lost.");
                }
                Close(attachment); // count == 0: every write end is closed, the worker (and its children) are done
                return false;
            }
        }
        return true;
    }

    unsafe void Close(Attachment attachment)
    {
        _attached.Remove(attachment.Token);
        Interlocked.Decrement(ref _attachedCount);
        epoll_ctl((int)_epoll.DangerousGetHandle(), EPOLL_CTL_DEL, (int)attachment.ReadEnd.DangerousGetHandle(), null);
        try { attachment.Splitter.Flush(attachment.Sink); }
        catch (Exception e) { ReportSinkFailure(e); }
        try { attachment.Sink.OnClosed(); }
        catch (Exception e) { ReportSinkFailure(e); }
        attachment.ReadEnd.Dispose();
    }

    /// <summary>A sink that throws is a bug; it must not stop the pump for every other worker.</summary>
    static void ReportSinkFailure(Exception e)
        => Console.Error.WriteLine($"pmx internal error: a log sink failed, lines may be lost: {e}");

    unsafe void Register(SafeFileHandle handle, ulong token)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = EPOLLIN; // EPOLLHUP and EPOLLERR are always reported
        *(ulong*)(ev + EpollEventDataOffset) = token;
        if (epoll_ctl((int)_epoll.DangerousGetHandle(), EPOLL_CTL_ADD, (int)handle.DangerousGetHandle(), ev) != 0)
            throw Failure("epoll_ctl(ADD)");
    }

    static SafeFileHandle OpenOrThrow(int fd, string what)
        => fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failure(what);

    static IOException Failure(string what)
        => new($"pmx: {what} failed (errno {Marshal.GetLastPInvokeError()}).");
}
