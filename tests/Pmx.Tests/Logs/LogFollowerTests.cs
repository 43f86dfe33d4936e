using System.Text;
using Pmx.Config;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LogFollowerTests
{
    static void Append(string path, string text) => File.AppendAllText(path, text);

    [Test]
    public async Task WriteRotateWriteMoreIsSeenExactlyOnceInOrder()
    {
        using var temp = new TempHome();
        var path = temp.LogPath("web-0-out.log");
        Append(path, "old\n");
        using var follower = new LogFollower(path, new FileInfo(path).Length);
        var sink = new RecordingSink();

        Append(path, "one\ntwo\n");
        follower.Poll(sink);
        Append(path, "three\n");       // written before the rotation, not yet read
        LogRotation.Rotate(path, retain: 2);
        Append(path, "four\n");        // the fresh file
        follower.Poll(sink);
        Append(path, "five\n");
        follower.Poll(sink);
        follower.Poll(sink);

        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "one", "two", "three", "four", "five" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task SeveralRotationsBetweenTwoPollsAreReadInOrder()
    {
        using var temp = new TempHome();
        var path = temp.LogPath("web-0-out.log");
        Append(path, "");
        using var follower = new LogFollower(path, 0);
        var sink = new RecordingSink();
        follower.Poll(sink);
        foreach (var n in new[] { "a", "b", "c" })
        {
            Append(path, n + "\n");
            LogRotation.Rotate(path, retain: 5);
        }
        Append(path, "d\n");
        follower.Poll(sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "a", "b", "c", "d" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ATruncatedFileIsFollowedFromItsNewStart()
    {
        using var temp = new TempHome();
        var path = temp.LogPath("web-0-out.log");
        Append(path, "before flush\n");
        using var follower = new LogFollower(path, new FileInfo(path).Length);
        var sink = new RecordingSink();
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) f.SetLength(0);
        follower.Poll(sink);
        Append(path, "after\n");
        follower.Poll(sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "after" }, CollectionOrdering.Matching);
    }

    [Test, Timeout(120_000)]
    public async Task AFollowerPollingWhileTheWriterRotatesSeesEveryLineExactlyOnce(CancellationToken ct)
    {
        const int lineCount = 100_000;
        using var temp = new TempHome();
        var path = temp.LogPath("f-0-out.log");
        var app = new AppSpec { Name = "f", Script = "/bin/true", Cwd = "/", LogMaxSizeBytes = 256 * 1024, LogRetain = 3, Time = true };
        using var router = new LogRouter(temp.Home);
        var (outSink, _) = router.CreateSinks(app, 0);
        await router.WhenWritten().WaitAsync(ct);
        using var follower = new LogFollower(path, 0);
        var sink = new RecordingSink();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var following = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                follower.Poll(sink);
                await Task.Delay(1, CancellationToken.None);
            }
        }, ct);
        for (var n = 0; n < lineCount; n++)
        {
            outSink.OnLine(Encoding.ASCII.GetBytes(n.ToString()));
            // A follower is exact while it polls before the 3 kept rotations run out (see
            // LogFollower): every 5000 lines (~150 KB, under one 256 KB file) wait for it to catch
            // up, as a machine that is not starved of CPU would. Rotations still fall between polls.
            if (n % 5000 == 4999)
            {
                await router.WhenWritten().WaitAsync(ct);
                var seen = n + 1;
                await Poll.Until(() => sink.Count >= seen, TimeSpan.FromSeconds(30), $"the follower to print {seen} lines", ct);
            }
        }
        await router.WhenWritten().WaitAsync(ct);
        await Poll.Until(() => sink.Count >= lineCount, TimeSpan.FromSeconds(30), $"the follower to print all {lineCount} lines", ct);
        stop.Cancel();
        await following;

        var numbers = sink.Lines.Select(l => int.Parse(l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..])).ToArray();
        await Assert.That(numbers.SequenceEqual(Enumerable.Range(0, lineCount))).IsTrue();
    }
}
