using System.Text;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LogWriterTests
{
    [Test, Timeout(30_000)]
    public async Task PastTheMemoryBoundLinesAreCountedAndOneDropMarkerTakesTheirPlace(CancellationToken ct)
    {
        const int total = 100;
        var console = new GatedStream();
        using var writer = new LogWriter(maxPendingBytes: 170);
        var sink = new ForegroundSink(writer, new StreamTarget(console), "web", 0);
        for (var n = 0; n < total; n++) sink.OnLine(Encoding.ASCII.GetBytes($"line {n:D3}")); // 17 bytes each
        console.Open();
        await writer.WhenWritten().WaitAsync(ct);
        sink.OnLine("after the stall"u8);
        await writer.WhenWritten().WaitAsync(ct);

        var lines = console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kept = lines.Count(l => l.StartsWith("web#0 | line ", StringComparison.Ordinal));
        await Assert.That(kept).IsEqualTo(10); // 170 bytes hold ten 17-byte lines
        await Assert.That(lines[kept]).StartsWith($"web#0 | [pmx: {total - kept} lines dropped");
        await Assert.That(lines[^1]).IsEqualTo("web#0 | after the stall");
    }

    /// <summary>A console that blocks every write until opened: a disk or terminal that stalls.</summary>
    sealed class GatedStream : MemoryStream
    {
        readonly ManualResetEventSlim _open = new();
        public void Open() => _open.Set();
        public string Text { get { lock (this) return Encoding.UTF8.GetString(ToArray()); } }
        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait();
            lock (this) base.Write(buffer, offset, count);
        }
    }
}
