using System.Text;
using Microsoft.Win32.SafeHandles;
using Pmx.Logs;
using static Pmx.Interop.Interop;

namespace Pmx.Tests.Logs;

/// <summary>
/// daemon.log is the daemon's fd 1 and 2. Deleted while the daemon runs (a cleanup of PMX_HOME,
/// logrotate without copytruncate), it must come back at its path, as logs/ files do (issue 11).
/// </summary>
public class DaemonLogWriterTests
{
    [Test, Timeout(30_000)]
    public async Task ADeletedDaemonLogIsRecreatedAtItsPathByTheNextLineAndItsDescriptorsFollow(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Home.Root, "daemon.log");
        using var stderr = OpenAppending(path);
        using var stdout = OpenAppending(path);
        using var writer = new DaemonLogWriter(stderr, path, DaemonLogWriter.DefaultMaxBytes, (int)stdout.DangerousGetHandle());
        writer.WriteLine("before");
        File.Delete(path);

        writer.WriteLine("after");
        // What the runtime writes to fd 1 or 2 without the writer (a FailFast's last words) follows too.
        RandomAccess.Write(stdout, "straight to fd 1\n"u8, fileOffset: 0);
        RandomAccess.Write(stderr, "straight to fd 2\n"u8, fileOffset: 0);

        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("after\nstraight to fd 1\nstraight to fd 2\n");
    }

    [Test, Timeout(30_000)]
    public async Task ADaemonLogReplacedByAnotherFileIsFollowedAndTheOtherFileKeepsItsLines(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Home.Root, "daemon.log");
        using var stderr = OpenAppending(path);
        using var writer = new DaemonLogWriter(stderr, path);
        writer.WriteLine("first");
        File.Move(path, path + ".old");
        await File.WriteAllTextAsync(path, "someone else's\n", Encoding.UTF8, ct);

        writer.WriteLine("second");

        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("someone else's\nsecond\n");
        await Assert.That(await File.ReadAllTextAsync(path + ".old", ct)).IsEqualTo("first\n");
    }

    [Test, Timeout(30_000)]
    public async Task ADaemonLogStillAtItsPathIsWrittenInPlace(CancellationToken ct)
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Home.Root, "daemon.log");
        using var stderr = OpenAppending(path);
        var before = TryIdentify(path);
        using var writer = new DaemonLogWriter(stderr, path);

        writer.WriteLine("one");
        writer.WriteLine("two");

        await Assert.That(await File.ReadAllTextAsync(path, ct)).IsEqualTo("one\ntwo\n");
        await Assert.That(TryIdentify(path)!.Value.IsSameFileAs(before!.Value)).IsTrue();
    }

    static SafeFileHandle OpenAppending(string path)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        if (!TryAddStatusFlags((int)handle.DangerousGetHandle(), O_APPEND)) throw new IOException("fcntl(O_APPEND) failed");
        return handle;
    }
}
