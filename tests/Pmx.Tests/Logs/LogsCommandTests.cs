using System.Text;
using Pmx.Cli;

namespace Pmx.Tests.Logs;

public class LogsCommandTests
{
    static (int Exit, string Out, string Err) Logs(TempHome temp, string? name, int lines = 15, bool err = false, bool @out = false)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = LogsCommand.Run(temp.Home, name, lines, follow: false, err, @out, stdout, stderr, TimeSpan.FromMilliseconds(10), CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    static TempHome HomeWithLogs()
    {
        var temp = new TempHome();
        File.WriteAllText(temp.LogPath("web-0-out.log"), string.Concat(Enumerable.Range(1, 30).Select(n => $"out {n}\n")));
        File.WriteAllText(temp.LogPath("web-0-err.log"), "err 1\n");
        File.WriteAllText(temp.LogPath("web-0-out.log.1"), "rotated\n");
        File.WriteAllText(temp.LogPath("api-out.log"), "merged api\n");
        return temp;
    }

    [Test]
    public async Task LogsOfWebLeaveOutTheMergedLogOfAnAppNamedWeb2()
    {
        using var temp = HomeWithLogs();
        File.WriteAllText(temp.LogPath("web-2-out.log"), "web-2 merged\n");
        var (exit, output, _) = Logs(temp, "web", lines: 1, @out: true);
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(output).IsEqualTo($"==> web#0 ({temp.LogPath("web-0-out.log")}, last 1 lines) <==\nout 30\n\n");
    }

    [Test]
    public async Task AnInstanceOfAnAppWithMergedLogsReadsTheMergedFileWhereItWrites()
    {
        using var temp = HomeWithLogs();
        var (exit, output, _) = Logs(temp, "api#1", lines: 1);
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(output).IsEqualTo($"==> api ({temp.LogPath("api-out.log")}, last 1 lines) <==\nmerged api\n\n");
        var (_, web, _) = Logs(temp, "web#0", lines: 1, @out: true);
        await Assert.That(web).IsEqualTo($"==> web#0 ({temp.LogPath("web-0-out.log")}, last 1 lines) <==\nout 30\n\n");
    }

    [Test]
    public async Task TheLastLinesOfEachFileOfTheAppArePrintedUnderAHeader()
    {
        using var temp = HomeWithLogs();
        var (exit, output, _) = Logs(temp, "web", lines: 2);
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(output).IsEqualTo(
            $"==> web#0 ({temp.LogPath("web-0-out.log")}, last 2 lines) <==\nout 29\nout 30\n\n" +
            $"==> web#0 err ({temp.LogPath("web-0-err.log")}, last 2 lines) <==\nerr 1\n\n");
    }

    [Test]
    public async Task ErrSelectsOnlyStderrAndNoNamePrintsEveryApp()
    {
        using var temp = HomeWithLogs();
        var (_, errOnly, _) = Logs(temp, "web", err: true);
        await Assert.That(errOnly).DoesNotContain("out 30");
        await Assert.That(errOnly).Contains("err 1");
        var (_, everything, _) = Logs(temp, null, lines: 1);
        await Assert.That(everything).Contains("==> api (").And.Contains("merged api").And.Contains("out 30");
    }

    [Test]
    public async Task AnUnknownAppFailsAndListsTheAppsThatHaveLogs()
    {
        using var temp = HomeWithLogs();
        var (exit, _, error) = Logs(temp, "wbe");
        await Assert.That(exit).IsEqualTo(1);
        await Assert.That(error).Contains("no logs for app 'wbe'").And.Contains("Apps with logs: api, web.");
    }

    [Test, Timeout(30_000)]
    public async Task FollowPrintsNewLinesWithTheirLabelUntilCancelled(CancellationToken ct)
    {
        using var temp = HomeWithLogs();
        var stdout = new LockedStream();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = Task.Run(() => LogsCommand.Run(temp.Home, "web", 1, follow: true, false, true, stdout, TextWriter.Null, TimeSpan.FromMilliseconds(20), stop.Token), ct);
        await Poll.Until(() => stdout.Text.Contains("out 30"), TimeSpan.FromSeconds(20), "the last kept line printed", ct);
        File.AppendAllText(temp.LogPath("web-0-out.log"), "fresh line\n");
        File.WriteAllText(temp.LogPath("web-1-out.log"), "new instance\n");
        await Poll.Until(() => stdout.Text.Contains("web#0 | fresh line") && stdout.Text.Contains("web#1 | new instance"), TimeSpan.FromSeconds(20), "both new lines followed", ct);
        stop.Cancel();
        await Assert.That(await run).IsEqualTo(0);
    }

    [Test]
    public async Task FlushEmptiesTheAppsFilesAndDeletesRotatedOnesOnly()
    {
        using var temp = HomeWithLogs();
        var exit = FlushCommand.Run(temp.Home, "web", TextWriter.Null, TextWriter.Null);
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(new FileInfo(temp.LogPath("web-0-out.log")).Length).IsEqualTo(0);
        await Assert.That(new FileInfo(temp.LogPath("web-0-err.log")).Length).IsEqualTo(0);
        await Assert.That(File.Exists(temp.LogPath("web-0-out.log.1"))).IsFalse();
        await Assert.That(File.ReadAllText(temp.LogPath("api-out.log"))).IsEqualTo("merged api\n");
        await Assert.That(FlushCommand.Run(temp.Home, "nope", TextWriter.Null, TextWriter.Null)).IsEqualTo(1);
    }

    /// <summary>A MemoryStream the test can read while the command writes.</summary>
    sealed class LockedStream : MemoryStream
    {
        public string Text { get { lock (this) return Encoding.UTF8.GetString(ToArray()); } }
        public override void Write(byte[] buffer, int offset, int count) { lock (this) base.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { lock (this) base.Write(buffer); }
        public override void WriteByte(byte value) { lock (this) base.WriteByte(value); }
    }
}
