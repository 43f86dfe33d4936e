using System.Text;
using Pmx.Config;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LogRouterTests
{
    static AppSpec App(string name, int instances = 1, bool time = true) => new() { Name = name, Script = "/bin/true", Cwd = "/", Instances = instances, Time = time };

    static readonly FixedTime Clock = new(new DateTimeOffset(2026, 11, 25, 4, 20, 1, 123, TimeSpan.Zero));

    [Test]
    public async Task DefaultPathsAreNameInstanceOutAndErrInTheLogsFolder()
    {
        var home = new PmxHome("/h");
        await Assert.That(LogPaths.For(App("web"), 2, home)).IsEqualTo(new LogPaths("/h/logs/web-2-out.log", "/h/logs/web-2-err.log"));
        await Assert.That(LogPaths.For(App("web") with { MergeLogs = true }, 2, home)).IsEqualTo(new LogPaths("/h/logs/web-out.log", "/h/logs/web-err.log"));
        await Assert.That(LogPaths.For(App("web") with { OutFile = "/var/log/web.log", ErrorFile = "/var/log/web.err" }, 1, home))
            .IsEqualTo(new LogPaths("/var/log/web.log", "/var/log/web.err"));
    }

    [Test, Timeout(30_000)]
    public async Task LinesCarryNoTimestampUnlessTheAppAsksForOne(CancellationToken ct)
    {
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home, time: Clock);
        var (outSink, _) = router.CreateSinks(App("jsonl", time: false), 0);
        outSink.OnLine("{\"level\":\"info\"}"u8);
        await router.WhenWritten().WaitAsync(ct);
        await Assert.That(File.ReadAllText(temp.LogPath("jsonl-0-out.log"))).IsEqualTo("{\"level\":\"info\"}\n");
    }

    [Test, Timeout(30_000)]
    public async Task EachLineIsPrefixedWithItsTimestampInTheAppsDateFormat(CancellationToken ct)
    {
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home, time: Clock);
        var (outSink, errSink) = router.CreateSinks(App("web") with { Time = true }, 0);
        var (customOut, _) = router.CreateSinks(App("api") with { LogDateFormat = "HH:mm", Time = true }, 0);
        outSink.OnLine("hello"u8);
        errSink.OnLine("oops"u8);
        customOut.OnLine("short"u8);
        await router.WhenWritten().WaitAsync(ct);

        await Assert.That(File.ReadAllText(temp.LogPath("web-0-out.log"))).IsEqualTo("2026-11-25 04:20:01.123: hello\n");
        await Assert.That(File.ReadAllText(temp.LogPath("web-0-err.log"))).IsEqualTo("2026-11-25 04:20:01.123: oops\n");
        await Assert.That(File.ReadAllText(temp.LogPath("api-0-out.log"))).IsEqualTo("04:20: short\n");
        await Assert.That(File.GetUnixFileMode(temp.LogPath("web-0-out.log")) & (UnixFileMode)0b000_000_111).IsEqualTo(UnixFileMode.None);
    }

    [Test, Timeout(30_000)]
    public async Task FilesExistAsSoonAsTheSinksAreCreated(CancellationToken ct)
    {
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home);
        router.CreateSinks(App("quiet"), 0);
        await router.WhenWritten().WaitAsync(ct);
        await Assert.That(File.Exists(temp.LogPath("quiet-0-out.log"))).IsTrue();
        await Assert.That(File.Exists(temp.LogPath("quiet-0-err.log"))).IsTrue();
    }

    [Test, Timeout(60_000)]
    public async Task MergedInstancesShareOneFileAndTheirLinesNeverInterleave(CancellationToken ct)
    {
        const int instances = 4, linesEach = 500;
        using var temp = new TempHome();
        using var router = new LogRouter(temp.Home, time: Clock);
        using var pump = new OutputPump();
        var app = App("web", instances) with { MergeLogs = true };
        var pipes = new List<TestPipe>();
        var closed = new List<Task>();
        for (var i = 0; i < instances; i++)
        {
            var pipe = new TestPipe();
            pipes.Add(pipe);
            var (outSink, _) = router.CreateSinks(app, i);
            var watcher = new ClosedWatcher(outSink);
            closed.Add(watcher.Closed);
            pump.Attach(pipe.ReadEnd, watcher);
        }
        // Long lines written in small pieces: a mid-line interleave would be caught.
        await Task.WhenAll(pipes.Select((pipe, i) => Task.Run(() =>
        {
            for (var n = 0; n < linesEach; n++)
            {
                var line = Encoding.UTF8.GetBytes($"<{i}:{n}:{new string((char)('a' + i), 3000)}>\n");
                for (var offset = 0; offset < line.Length; offset += 1000)
                    pipe.WriteEnd.Write(line, offset, Math.Min(1000, line.Length - offset));
            }
            pipe.Dispose();
        }, ct)));
        await Task.WhenAll(closed).WaitAsync(ct);
        await router.WhenWritten().WaitAsync(ct);

        var lines = File.ReadAllLines(temp.LogPath("web-out.log"));
        await Assert.That(lines.Length).IsEqualTo(instances * linesEach);
        foreach (var line in lines)
        {
            var body = line["2026-11-25 04:20:01.123: ".Length..];
            var i = body[1] - '0';
            await Assert.That(body).IsEqualTo($"<{i}:{body.Split(':')[1]}:{new string((char)('a' + i), 3000)}>");
        }
    }

    [Test, Timeout(30_000)]
    public async Task ForegroundModePrintsNameAndInstanceBeforeEveryLineAndStillWritesTheFile(CancellationToken ct)
    {
        using var temp = new TempHome();
        var console = new MemoryStream();
        using var router = new LogRouter(temp.Home, foreground: console, time: Clock);
        var (outSink, errSink) = router.CreateSinks(App("web"), 1);
        outSink.OnLine("listening"u8);
        errSink.OnLine("warning"u8);
        await router.WhenWritten().WaitAsync(ct);
        await Assert.That(Encoding.UTF8.GetString(console.ToArray())).IsEqualTo("web#1 | listening\nweb#1 | warning\n");
        await Assert.That(File.ReadAllText(temp.LogPath("web-1-out.log"))).IsEqualTo("2026-11-25 04:20:01.123: listening\n");
    }

    /// <summary>Passes lines on and reports OnClosed as a task.</summary>
    sealed class ClosedWatcher(ILineSink inner) : ILineSink
    {
        readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Closed => _closed.Task;
        public void OnLine(ReadOnlySpan<byte> line) => inner.OnLine(line);
        public void OnClosed() { inner.OnClosed(); _closed.TrySetResult(); }
    }
}
