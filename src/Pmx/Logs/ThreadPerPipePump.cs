using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Pmx.Logs;

/// <summary>
/// The Windows output pump: anonymous pipes cannot join an epoll set (and overlapped I/O on them
/// is not possible), so each pipe gets a small thread that blocks in ReadFile until end of file.
/// A worker has two pipes; a Windows box running hundreds of workers pays a thread each, which is
/// the price of anonymous pipes. Each sink is still called from a single thread, as ILineSink asks.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class ThreadPerPipePump : IOutputPump
{
    const int ReadBufferBytes = 16 * 1024;
    readonly Lock _gate = new();
    readonly List<Thread> _threads = [];
    bool _isStopping;

    public IDisposable Attach(SafeFileHandle readEnd, ILineSink sink)
    {
        var reader = new PipeReader(readEnd, sink);
        var thread = new Thread(reader.Run) { IsBackground = true, Name = "pmx output pipe" };
        lock (_gate)
        {
            if (_isStopping) throw new ObjectDisposedException(nameof(ThreadPerPipePump));
            _threads.RemoveAll(t => !t.IsAlive);
            _threads.Add(thread);
        }
        thread.Start();
        return reader;
    }

    /// <summary>Waits (bounded) for every pipe to reach end of file, so the last lines reach their sinks.</summary>
    public void Dispose()
    {
        List<Thread> threads;
        lock (_gate)
        {
            _isStopping = true;
            threads = [.. _threads];
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        foreach (var thread in threads)
        {
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero) thread.Join(left);
        }
    }

    sealed class PipeReader(SafeFileHandle readEnd, ILineSink sink) : IDisposable
    {
        readonly LineSplitter _splitter = new();
        int _closed;

        public void Run()
        {
            var buffer = new byte[ReadBufferBytes];
            try
            {
                using var stream = new FileStream(readEnd, FileAccess.Read, bufferSize: 0);
                int n;
                while (Volatile.Read(ref _closed) == 0 && (n = stream.Read(buffer)) > 0)
                    _splitter.Push(buffer.AsSpan(0, n), sink);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // A broken pipe is the writer's end of file.
            }
            _splitter.Flush(sink);
            sink.OnClosed();
        }

        /// <summary>Detach: closing the handle ends the blocked read.</summary>
        public void Dispose()
        {
            Volatile.Write(ref _closed, 1);
            readEnd.Dispose();
        }
    }
}
