using System.Collections.Concurrent;
using Pmx.Logs;
using Pmx.Watching;

namespace Pmx.Tests.Watching;

/// <summary>
/// Real inotify on a temp folder. Each test ends by touching a sentinel file: events of one
/// watcher arrive in order, so once the sentinel is reported every earlier event was handled too.
/// </summary>
public class AppWatcherTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test, Timeout(30_000)]
    public async Task AnOutFileInsideTheWatchedTreeIsNotAChange(CancellationToken ct)
    {
        using var tree = new TempTree();
        var outFile = Path.Combine(tree.Root, "logs", "web.out.log");
        var reported = new ConcurrentQueue<string>();
        using var watcher = Watch(tree, reported, pmxHome: Path.Combine(tree.Root, "elsewhere"));
        using (var writer = new LogWriter())
        {
            var file = writer.AcquireFile(outFile, maxSizeBytes: 0, retain: 0);
            for (var n = 0; n < 20; n++)
            {
                writer.TryEnqueue(file, "a line\n"u8.ToArray());
                await writer.WhenWritten().WaitAsync(ct);
            }
            await tree.TouchSentinelAndWait(reported, ct);
            writer.Release(file);
        }
        await Assert.That(reported.Where(p => p.StartsWith(outFile, StringComparison.Ordinal))).IsEmpty();
    }

    [Test, Timeout(30_000)]
    public async Task PmxHomesOwnFilesInsideTheWatchedTreeAreNotChanges(CancellationToken ct)
    {
        using var tree = new TempTree();
        var home = Directory.CreateDirectory(Path.Combine(tree.Root, ".pmx")).FullName;
        Directory.CreateDirectory(Path.Combine(home, "logs"));
        var reported = new ConcurrentQueue<string>();
        using var watcher = Watch(tree, reported, pmxHome: home);
        await File.WriteAllTextAsync(Path.Combine(home, "daemon.log"), "pmx: hello\n", ct);
        await File.WriteAllTextAsync(Path.Combine(home, "logs", "web-0-out.log"), "line\n", ct);
        await tree.TouchSentinelAndWait(reported, ct);
        await Assert.That(reported.Where(p => p.StartsWith(home, StringComparison.Ordinal))).IsEmpty();
    }

    [Test, Timeout(60_000)]
    public async Task ATreeOfMoreFoldersThanTheBoundIsNotWatchedAndTheDaemonLogSaysWhy(CancellationToken ct)
    {
        using var tree = new TempTree();
        for (var n = 0; n < AppWatcher.MaxFolders; n++)
        {
            ct.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.Combine(tree.Root, "node_modules", $"m{n}"));
        }
        var problems = new ConcurrentQueue<string>();
        using var watcher = new AppWatcher([tree.Root], [], _ => { }, pmxHome: "/nonexistent", onProblem: problems.Enqueue);
        await Assert.That(problems.Count).IsEqualTo(1);
        await Assert.That(problems.Single()).Contains($"holds more than {AppWatcher.MaxFolders} folders");
    }

    [Test]
    public async Task AWatchedPathThatDoesNotExistIsSkippedWithoutThrowing()
    {
        using var tree = new TempTree();
        var problems = new ConcurrentQueue<string>();
        using var watcher = new AppWatcher([Path.Combine(tree.Root, "missing")], [], _ => { }, pmxHome: "/nonexistent", onProblem: problems.Enqueue);
        await Assert.That(problems).IsEmpty();
    }

    static AppWatcher Watch(TempTree tree, ConcurrentQueue<string> reported, string pmxHome) =>
        new([tree.Root], [], reported.Enqueue, settle: TimeSpan.FromMilliseconds(1), pmxHome: pmxHome, onProblem: _ => { });

    sealed class TempTree : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("pmx-watch-test-").FullName;

        public async Task TouchSentinelAndWait(ConcurrentQueue<string> reported, CancellationToken ct)
        {
            var sentinel = Path.Combine(Root, "sentinel.js");
            await File.WriteAllTextAsync(sentinel, "changed", ct);
            await Poll.Until(() => reported.Contains(sentinel), Deadline, "the sentinel change reported", ct);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
