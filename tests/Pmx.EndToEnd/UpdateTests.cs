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

        var keeper = PidIn(sandbox, "keeper.pid");
        var (next, nextVersion) = await NextVersionBinary(sandbox, ct);

        var update = await sandbox.Pmx(ct, "update", "--binary", next);
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.Stdout + update.Stderr);

        await Assert.That(DaemonPid(sandbox)).IsNotEqualTo(oldDaemon);
        await Assert.That(await Pids(sandbox, ct)).IsEquivalentTo(before);
        var list = await sandbox.PmxOk(ct, "list");
        await Assert.That(list.Stdout).Contains($"daemon: pmx {nextVersion}, pid {DaemonPid(sandbox)}");
        // No process of the old version is left: the keeper re-executed itself as the new binary, keeping its pid.
        await Assert.That(PidIn(sandbox, "keeper.pid")).IsEqualTo(keeper);
        await Assert.That(ExecutableOf(keeper)).IsEqualTo(next);
        await Assert.That(ExecutableOf(DaemonPid(sandbox))).IsEqualTo(next);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();

        // The re-executed keeper is still the subreaper: a reload's workers (the new daemon's children)
        // become its children when that daemon dies, and the next daemon adopts them.
        var reload = await sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        var reloaded = await Pids(sandbox, ct);
        var daemon = DaemonPid(sandbox);
        System.Diagnostics.Process.GetProcessById(daemon).Kill();
        await Poll.Until(async () => DaemonPid(sandbox) is var d && d != 0 && d != daemon
            && (await sandbox.Pmx(ct, "list", "--json")).ExitCode == 0 && (await Pids(sandbox, ct)).SequenceEqual(reloaded),
            TimeSpan.FromSeconds(20), "the reloaded workers online under a daemon started by the re-executed keeper", ct);
        foreach (var pid in reloaded) await Assert.That(ParentOf(pid)).IsEqualTo(keeper);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();
    }

    /// <summary>
    /// A copy of artifacts/pmx that reports another version: its BuildInfo.Version literal (UTF-16 in
    /// the binary, after its length) patched to a same-length string of nines. Cheaper than a second
    /// AOT publish, and as different as a real upgrade where it matters: what `list` and `--version` say.
    /// </summary>
    static async Task<(string Path, string Version)> NextVersionBinary(PmxSandbox sandbox, CancellationToken ct)
    {
        var version = (await sandbox.PmxOk(ct, "--version")).Stdout.Trim();
        var next = new string(version.Select(c => char.IsAsciiDigit(c) ? (c == '9' ? '8' : '9') : c).ToArray());
        var bytes = File.ReadAllBytes(PmxBinary.Path);
        var literal = BitConverter.GetBytes(version.Length).Concat(System.Text.Encoding.Unicode.GetBytes(version)).ToArray();
        var at = bytes.AsSpan().IndexOf(literal);
        if (at < 0 || bytes.AsSpan(at + 1).IndexOf(literal) >= 0)
            throw new InvalidOperationException($"expected exactly one UTF-16 literal \"{version}\" in {PmxBinary.Path}");
        System.Text.Encoding.Unicode.GetBytes(next).CopyTo(bytes, at + 4);
        var path = Path.Combine(sandbox.WorkDir, "pmx-next");
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var reported = await PmxRun.Run(new System.Diagnostics.ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true }, ct);
        if (reported.Stdout.Trim() != next) throw new InvalidOperationException($"the patched copy says '{reported.Stdout.Trim()}', not {next}");
        return (path, next);
    }

    static string? ExecutableOf(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/exe").LinkTarget; }
        catch (IOException) { return null; }
    }

    /// <summary>Field 4 of /proc/PID/stat, after the parenthesised name (proc(5)).</summary>
    static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
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
