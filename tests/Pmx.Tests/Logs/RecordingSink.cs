using System.Text;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

/// <summary>Keeps every line it is given; <see cref="Closed"/> completes at OnClosed.</summary>
internal sealed class RecordingSink : ILineSink
{
    readonly List<string> _lines = [];
    readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ClosedCount;

    public Task Closed => _closed.Task;

    public int Count
    {
        get { lock (_lines) return _lines.Count; }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public void OnLine(ReadOnlySpan<byte> line)
    {
        lock (_lines) _lines.Add(Encoding.UTF8.GetString(line));
    }

    public void OnClosed()
    {
        Interlocked.Increment(ref ClosedCount);
        _closed.TrySetResult();
    }
}
