using System.Text;
using Microsoft.Win32.SafeHandles;
using Pmx.Logs;
using static Pmx.Interop.Interop;

namespace Pmx.Tests.Logs;

/// <summary>
/// Writes that fail. /dev/full is the kernel's own always-full device: every write to it fails
/// with ENOSPC, so a log path that is a symlink to it is a full disk without mounting anything.
/// </summary>
public class LogFileFailureTests
{
    [Test, Timeout(30_000)]
    public async Task LinesWrittenToAFullDiskAreCountedAndOneMarkerStandsForThemOnceWritingWorksAgain(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = home.LogPath("web-0-out.log");
        File.CreateSymbolicLink(path, "/dev/full");
        using var writer = new LogWriter();
        var file = writer.AcquireFile(path, maxSizeBytes: 0, retain: 0);
        foreach (var n in new[] { 1, 2, 3 })
        {
            await Assert.That(writer.TryEnqueue(file, Encoding.ASCII.GetBytes($"line {n}\n"))).IsTrue();
            await writer.WhenWritten().WaitAsync(ct);
        }

        File.Delete(path); // space returns: the path now leads nowhere, so the writer makes a real file
        writer.TryEnqueue(file, "line 4\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);
        writer.TryEnqueue(file, "line 5\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);

        await Assert.That(await File.ReadAllTextAsync(path, ct))
            .IsEqualTo("[pmx: 3 lines dropped: no space left on device]\nline 4\nline 5\n");
    }

    [Test, Timeout(30_000)]
    public async Task LinesLostByAWorkerThatThenExitsAreStillMarkedWhenItsFileCloses(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = home.LogPath("web-0-out.log");
        File.CreateSymbolicLink(path, "/dev/full");
        using var writer = new LogWriter();
        var file = writer.AcquireFile(path, maxSizeBytes: 0, retain: 0);
        writer.TryEnqueue(file, "lost\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);
        File.Delete(path);
        writer.Release(file);
        await writer.WhenWritten().WaitAsync(ct);

        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("[pmx: 1 lines dropped: no space left on device]\n");
    }

    [Test, Timeout(30_000)]
    public async Task TheDropMarkerIsStampedLikeTheLinesAround(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = home.LogPath("web-0-out.log");
        File.CreateSymbolicLink(path, "/dev/full");
        using var writer = new LogWriter();
        var format = new LogLineFormat("HH:mm", new FixedTime(new DateTimeOffset(2026, 12, 1, 4, 20, 0, TimeSpan.Zero)));
        var file = writer.AcquireFile(path, maxSizeBytes: 0, retain: 0, format);
        writer.TryEnqueue(file, format.Format("lost"u8));
        await writer.WhenWritten().WaitAsync(ct);
        File.Delete(path);
        writer.TryEnqueue(file, format.Format("kept"u8));
        await writer.WhenWritten().WaitAsync(ct);

        const string stamp = "04:20";
        await Assert.That(await File.ReadAllTextAsync(path, ct))
            .IsEqualTo($"{stamp}: [pmx: 1 lines dropped: no space left on device]\n{stamp}: kept\n");
    }

    [Test, Timeout(30_000)]
    public async Task ADeletedLogFolderIsRecreatedRatherThanWrittenIntoAnUnlinkedFile(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = home.LogPath("web-0-out.log");
        using var writer = new LogWriter();
        var file = writer.AcquireFile(path, maxSizeBytes: 0, retain: 0);
        writer.TryEnqueue(file, "before\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);

        Directory.Delete(home.Home.LogsDirectory, recursive: true);
        writer.TryEnqueue(file, "after\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);

        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("after\n");
    }

    [Test, Timeout(30_000)]
    public async Task ALogFileReplacedUnderItsNameIsReopened(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = home.LogPath("web-0-out.log");
        using var writer = new LogWriter();
        var file = writer.AcquireFile(path, maxSizeBytes: 0, retain: 0);
        writer.TryEnqueue(file, "one\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);

        File.Move(path, path + ".moved"); // what logrotate does without copytruncate
        writer.TryEnqueue(file, "two\n"u8.ToArray());
        await writer.WhenWritten().WaitAsync(ct);

        await Assert.That(await File.ReadAllTextAsync(path + ".moved", ct)).IsEqualTo("one\n");
        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("two\n");
    }

    [Test]
    public async Task TheDaemonLogNeverThrowsOnAFullDisk()
    {
        using var full = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        var log = new DaemonLogWriter(full, "/dev/full");
        for (var n = 0; n < 1000; n++) log.WriteLine($"pmx: report {n}");
        log.Write("a partial line, then its end\n");
        await Assert.That(log.Encoding.WebName).IsEqualTo("utf-8");
    }

    [Test]
    public async Task TheDaemonLogStartsAfreshPastItsLimitAndKeepsThePreviousPart()
    {
        using var home = new TempHome();
        var path = home.Home.DaemonLogPath;
        using var handle = OpenForAppending(path);
        var log = new DaemonLogWriter(handle, path, maxBytes: 1000);
        for (var n = 0; n < 200; n++) log.WriteLine($"pmx: line {n:D4} of the daemon log");

        await Assert.That(new FileInfo(path).Length).IsLessThanOrEqualTo(1000 + 200);
        await Assert.That(File.Exists(path + ".1")).IsTrue();
        var lines = await File.ReadAllLinesAsync(path);
        await Assert.That(lines[^1]).IsEqualTo("pmx: line 0199 of the daemon log");
    }

    static SafeFileHandle OpenForAppending(string path)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write);
        if (!TryAddStatusFlags((int)handle.DangerousGetHandle(), O_APPEND)) throw new IOException("fcntl(O_APPEND) failed");
        return handle;
    }
}
