using static Pmx.EndToEnd.DaemonWorld;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 14: `pmx update` replaces the daemon with the binary on disk under load: no failed
/// request, every worker keeps its pid, a new daemon pid; a binary speaking another hand-over
/// protocol is refused and the old daemon keeps running.
/// </summary>
[NotInParallel("load")]
public class UpdateTests
{
    [Test, Timeout(120_000)]
    public async Task UpdateUnderLoadFailsNoRequestKeepsEveryWorkerPidAndStartsANewDaemon(CancellationToken ct)
    {
        var (sandbox, port) = await DaemonWorld.Start(withTicker: false, ct);
        await using var _ = sandbox;
        var before = await Pids(sandbox, ct);
        var oldDaemon = DaemonPid(sandbox);
        await using var load = new LoadClient(port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var update = await sandbox.Pmx(ct, "update");
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.Stdout + update.Stderr);

        await Assert.That(DaemonPid(sandbox)).IsNotEqualTo(oldDaemon);
        await Assert.That(await Pids(sandbox, ct)).IsEquivalentTo(before);
        var list = await sandbox.PmxOk(ct, "list");
        await Assert.That(list.Stdout).Contains($"daemon: pmx ");
        await Assert.That(list.Stdout).Contains($"pid {DaemonPid(sandbox)}");
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();
    }

    [Test, Timeout(120_000)]
    public async Task AnUpdateToABinaryOfAnotherHandoverProtocolIsRefusedAndTheDaemonKeepsRunning(CancellationToken ct)
    {
        var (sandbox, _) = await DaemonWorld.Start(withTicker: false, ct);
        await using var __ = sandbox;
        var before = await Pids(sandbox, ct);
        var daemon = DaemonPid(sandbox);
        var other = Path.Combine(sandbox.WorkDir, "pmx-next");
        File.WriteAllText(other, "#!/bin/sh\necho 999\n");
        File.SetUnixFileMode(other, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var update = await sandbox.Pmx(ct, "update", "--binary", other);

        await Assert.That(update.ExitCode).IsEqualTo(1);
        await Assert.That(update.Stderr).Contains("hand-over protocol 999");
        await Assert.That(DaemonPid(sandbox)).IsEqualTo(daemon);
        await Assert.That(await Pids(sandbox, ct)).IsEquivalentTo(before);
    }

    static async Task<List<int>> Pids(PmxSandbox sandbox, CancellationToken ct) =>
        (await DaemonWorld.OnlinePids(sandbox, ct)).OrderBy(p => p.Key.Item2).Select(p => p.Value).ToList();
}
