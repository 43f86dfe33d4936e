using System.Text;
using Pmx.Config;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LogRotationTests
{
    [Test, Timeout(120_000)]
    public async Task TwoHundredThousandLinesThroughAPipeWithAOneMegabyteLimitAreAllKeptWholeExactlyOnce(CancellationToken ct)
    {
        const int lineCount = 200_000;
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home);
        using var pump = new OutputPump();
        // Retain enough files for every line (200k lines ≈ 6.5 MB with timestamps): nothing may be lost.
        var app = new AppSpec { Name = "seq", Script = "/bin/true", Cwd = "/", LogMaxSizeBytes = 1024 * 1024, LogRetain = 10, Time = true };
        var (outSink, _) = router.CreateSinks(app, 0);
        var pipe = new TestPipe();
        var watcher = new ClosedSignal(outSink);
        pump.Attach(pipe.ReadEnd, watcher);
        await Task.Run(() =>
        {
            var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, lineCount).Select(n => $"{n}\n")));
            for (var offset = 0; offset < text.Length; offset += 4093) // odd chunks: lines cross reads
                pipe.WriteEnd.Write(text, offset, Math.Min(4093, text.Length - offset));
            pipe.Dispose();
        }, ct);
        await watcher.Closed.WaitAsync(ct);
        await router.WhenWritten().WaitAsync(ct);

        var current = temp.LogPath("seq-0-out.log");
        var files = LogRotation.ExistingRotated(current).Append(current).ToArray();
        await Assert.That(files.Length).IsGreaterThan(2);
        var seen = new int[lineCount + 1];
        foreach (var file in files)
        {
            await Assert.That(new FileInfo(file).Length).IsLessThanOrEqualTo(1024 * 1024);
            foreach (var line in File.ReadLines(file))
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                var number = int.Parse(line[(colon + 2)..]); // a split line would not parse or be out of range
                seen[number]++;
            }
        }
        await Assert.That(seen.Skip(1).All(count => count == 1)).IsTrue();
    }

    [Test, Timeout(60_000)]
    public async Task OnlyLogRetainRotatedFilesAreKeptAndTheNewestIsDotOne(CancellationToken ct)
    {
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home);
        var app = new AppSpec { Name = "r", Script = "/bin/true", Cwd = "/", LogMaxSizeBytes = 100, LogRetain = 3, Time = true };
        var (outSink, _) = router.CreateSinks(app, 0);
        for (var n = 0; n < 200; n++) outSink.OnLine(Encoding.ASCII.GetBytes($"line {n:D4} {new string('x', 40)}"));
        await router.WhenWritten().WaitAsync(ct);

        var current = temp.LogPath("r-0-out.log");
        await Assert.That(LogRotation.ExistingRotated(current).Count).IsEqualTo(3);
        await Assert.That(File.Exists(current + ".4")).IsFalse();
        await Assert.That(File.ReadAllText(current)).Contains("line 0199");
        // One 75-byte line per file: .1 holds the line before the current one, .3 the oldest kept.
        await Assert.That(File.ReadAllText(current + ".1")).Contains("line 0198");
        await Assert.That(File.ReadAllText(current + ".3")).Contains("line 0196");
    }

    [Test, Timeout(30_000)]
    public async Task TruncatingTheFileWhileTheWriterHasItOpenLeavesNoHole(CancellationToken ct)
    {
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home);
        var app = new AppSpec { Name = "t", Script = "/bin/true", Cwd = "/", Time = true };
        var (outSink, _) = router.CreateSinks(app, 0);
        outSink.OnLine(Encoding.ASCII.GetBytes(new string('x', 5000)));
        await router.WhenWritten().WaitAsync(ct);
        var path = temp.LogPath("t-0-out.log");
        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            truncate.SetLength(0);
        outSink.OnLine("after flush"u8);
        await router.WhenWritten().WaitAsync(ct);
        await Assert.That(File.ReadAllText(path)).EndsWith(": after flush\n");
        await Assert.That(new FileInfo(path).Length).IsLessThan(100);
    }

    sealed class ClosedSignal(ILineSink inner) : ILineSink
    {
        readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Closed => _closed.Task;
        public void OnLine(ReadOnlySpan<byte> line) => inner.OnLine(line);
        public void OnClosed() { inner.OnClosed(); _closed.TrySetResult(); }
    }
}
