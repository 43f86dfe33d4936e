using System.Text;

namespace Pmx.Logs;

/// <summary>
/// The last non-blank line a worker wrote to stderr, for a failed start to quote ("exited 3; it
/// printed: Error: config missing"). The log pump's thread writes it, the supervisor reads it, so
/// it keeps bytes under a lock and decodes only when asked. <see cref="Closed"/> completes at the
/// pipe's end of file: a worker's last line may arrive after the reaper reported its exit.
/// </summary>
internal sealed class StderrTail
{
    const int MaxQuoted = 512;
    readonly Lock _gate = new();
    readonly byte[] _line = new byte[MaxQuoted];
    int _length;
    readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Closed => _closed.Task;

    public string? LastLine
    {
        get
        {
            lock (_gate) return _length == 0 ? null : Encoding.UTF8.GetString(_line, 0, _length).Trim();
        }
    }

    /// <summary>Wraps the stderr sink: every line still goes to <paramref name="inner"/>.</summary>
    public ILineSink Watch(ILineSink inner) => new Sink(this, inner);

    void Remember(ReadOnlySpan<byte> line)
    {
        var trimmed = line.Trim(" \t\r"u8);
        if (trimmed.IsEmpty) return;
        if (trimmed.Length > MaxQuoted) trimmed = trimmed[..MaxQuoted];
        lock (_gate)
        {
            trimmed.CopyTo(_line);
            _length = trimmed.Length;
        }
    }

    sealed class Sink(StderrTail tail, ILineSink inner) : ILineSink
    {
        public void OnLine(ReadOnlySpan<byte> line)
        {
            inner.OnLine(line);
            tail.Remember(line);
        }

        public void OnClosed()
        {
            inner.OnClosed();
            tail._closed.TrySetResult();
        }
    }
}
