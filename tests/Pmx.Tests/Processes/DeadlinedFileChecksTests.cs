using System.Diagnostics;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

/// <summary>
/// Issue 11: a stat on a hung mount never returns, and the spawn that makes it runs on the
/// supervisor's loop. A hung mount cannot be made in a test, so the check here blocks on an event.
/// </summary>
public class DeadlinedFileChecksTests
{
    const string Paths = "cwd '/mnt/hung' and program './server'";

    [Test, Timeout(30_000)]
    public async Task ACheckThatNeverReturnsFailsTheSpawnAfterTheDeadlineSayingTheFilesystemLooksHung(CancellationToken ct)
    {
        var checks = new DeadlinedFileChecks(TimeSpan.FromMilliseconds(200));
        using var hung = new ManualResetEventSlim();
        try
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.That(() => checks.Run("./server", Paths, () => hung.Wait())).Throws<SpawnException>();

            await Assert.That(e!.Message).IsEqualTo($"cannot start './server': checking {Paths} did not finish within 0.2 s; its filesystem looks hung (an unresponsive NFS or FUSE mount?)");
            await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(20));
        }
        finally { hung.Set(); }
    }

    [Test, Timeout(30_000)]
    public async Task WhileACheckIsStuckTheNextSpawnOfTheSamePathsFailsAtOnceWithoutCheckingAgain(CancellationToken ct)
    {
        var checks = new DeadlinedFileChecks(TimeSpan.FromMilliseconds(200));
        using var hung = new ManualResetEventSlim();
        try
        {
            await Assert.That(() => checks.Run("./server", Paths, () => hung.Wait())).Throws<SpawnException>();
            var checkedAgain = false;

            var e = await Assert.That(() => checks.Run("./server", Paths, () => checkedAgain = true)).Throws<SpawnException>();

            await Assert.That(e!.Message).IsEqualTo($"cannot start './server': an earlier check of {Paths} has still not returned; its filesystem looks hung (an unresponsive NFS or FUSE mount?)");
            await Assert.That(checkedAgain).IsFalse();
        }
        finally { hung.Set(); }
    }

    [Test, Timeout(30_000)]
    public async Task OnceTheStuckCheckReturnsTheSamePathsAreCheckedAgain(CancellationToken ct)
    {
        var checks = new DeadlinedFileChecks(TimeSpan.FromMilliseconds(200));
        using var hung = new ManualResetEventSlim();
        await Assert.That(() => checks.Run("./server", Paths, () => hung.Wait())).Throws<SpawnException>();
        hung.Set();

        var checkedAgain = false;
        var recovered = SpinWait.SpinUntil(() =>
        {
            try { checks.Run("./server", Paths, () => checkedAgain = true); return true; }
            catch (SpawnException) { return false; }
        }, TimeSpan.FromSeconds(20));

        await Assert.That(recovered).IsTrue();
        await Assert.That(checkedAgain).IsTrue();
    }

    [Test]
    public async Task ACheckThatFailsPassesItsOwnMessageThrough()
    {
        var checks = new DeadlinedFileChecks(TimeSpan.FromSeconds(10));

        var e = await Assert.That(() => checks.Run("./server", Paths, () => throw new SpawnException("./server", "cannot start './server': no such file"))).Throws<SpawnException>();

        await Assert.That(e!.Message).IsEqualTo("cannot start './server': no such file");
    }
}
