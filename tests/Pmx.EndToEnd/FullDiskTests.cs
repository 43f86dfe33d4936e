namespace Pmx.EndToEnd;

/// <summary>PMX_HOME on a disk that fills up: pmx keeps supervising, and its logs say what they lost.</summary>
public class FullDiskTests
{
    // About 200 KB/s of output: it fills the 3 MB tmpfs on its own in ~15 s, so once the test frees
    // the space there is time to see logging resume before the disk is full again.
    const string ChattyScript = "i=0; while :; do i=$((i+1)); printf 'tick %d %0200d\\n' $i 0; [ $((i % 50)) -eq 0 ] && sleep 0.05; done";

    [Test, Timeout(120_000)]
    public async Task OnAFullDiskTheDaemonAndItsOtherAppsStaySupervisedAndLoggingResumesWithADropMarker(CancellationToken ct)
    {
        var (mount, sandbox) = ChattyAndSteadyOnTmpfs();
        using var _ = mount; // unmounted last: the sandbox's teardown stops the daemon that holds files there
        await using var __ = sandbox;
        await sandbox.PmxOk(ct, "up");
        await Poll.Until(async () => (await sandbox.List(ct)).All(r => r.Status == "online"), TimeSpan.FromSeconds(20), "both apps online", ct);
        var chattyLog = Path.Combine(sandbox.Home, "logs", "chatty-0-out.log");
        await Poll.Until(() => File.Exists(chattyLog) && new FileInfo(chattyLog).Length > 0, TimeSpan.FromSeconds(10), "chatty's first lines", ct);
        var daemonPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(sandbox.Home, "daemon.pid"), ct));

        var filler = mount.FillUp();
        // Full disk: the daemon still answers, restarts the other app, and keeps it online.
        var steadyBefore = (await sandbox.List(ct)).Single(r => r.Name == "steady");
        await sandbox.PmxOk(ct, "restart", "steady");
        await Poll.Until(async () => (await sandbox.List(ct)).Single(r => r.Name == "steady") is { Status: "online" } row && row.Pid != steadyBefore.Pid,
            TimeSpan.FromSeconds(20), "steady restarted and online on the full disk", ct);
        await Assert.That((await sandbox.List(ct)).Single(r => r.Name == "chatty").Status).IsEqualTo("online");
        await Assert.That(Directory.Exists($"/proc/{daemonPid}")).IsTrue();

        // A full tmpfs still has the slack of each file's last page, so a few lines may get through
        // until the filler goes; real resumption is a marker past this point and far more than a page after it.
        var lengthWhileFull = new FileInfo(chattyLog).Length;
        File.Delete(filler);
        await Poll.Until(() => ResumedAfterMarker(File.ReadAllText(chattyLog), lengthWhileFull), TimeSpan.FromSeconds(20),
            "a '[pmx: N lines dropped: no space left on device]' line in chatty's log, then 64 KB of ticks", ct);
        await Poll.Until(() => File.ReadAllText(sandbox.DaemonLog).Contains($"log file {chattyLog} is writable again", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the daemon log to say chatty's log is writable again", ct);

        var daemonLog = await File.ReadAllTextAsync(sandbox.DaemonLog, ct);
        await Assert.That(Occurrences(daemonLog, $"cannot write to log file {chattyLog}: no space left on device")).IsEqualTo(1);
        await Assert.That(Directory.Exists($"/proc/{daemonPid}")).IsTrue();
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Select(r => $"{r.Name}:{r.Status}").Order()).IsEquivalentTo(["chatty:online", "steady:online"], CollectionOrdering.Matching);
    }

    [Test, Timeout(120_000)]
    public async Task ADaemonStartedOnAnAlreadyFullDiskStartsAndSupervisesItsApps(CancellationToken ct)
    {
        var (mount, sandbox) = ChattyAndSteadyOnTmpfs();
        using var _ = mount; // unmounted last: the sandbox's teardown stops the daemon that holds files there
        await using var __ = sandbox;
        mount.FillUp();

        await sandbox.PmxOk(ct, "up");
        await Poll.Until(async () => (await sandbox.List(ct)).All(r => r.Status == "online"), TimeSpan.FromSeconds(20), "both apps online on the full disk", ct);
        var steadyBefore = (await sandbox.List(ct)).Single(r => r.Name == "steady");
        await sandbox.PmxOk(ct, "restart", "steady");
        await Poll.Until(async () => (await sandbox.List(ct)).Single(r => r.Name == "steady") is { Status: "online" } row && row.Pid != steadyBefore.Pid,
            TimeSpan.FromSeconds(20), "steady restarted and online on the full disk", ct);
        await Assert.That((await sandbox.List(ct)).Select(r => $"{r.Name}:{r.Status}").Order()).IsEquivalentTo(["chatty:online", "steady:online"], CollectionOrdering.Matching);
    }

    /// <summary>PMX_HOME on a fresh 3 MB tmpfs, with the chatty app and a steady one; skips the test when it cannot mount.</summary>
    static (TmpfsMount Mount, PmxSandbox Sandbox) ChattyAndSteadyOnTmpfs()
    {
        var mount = TmpfsMount.TryMount("3m", out var whyNot);
        if (mount is null) Skip.Test($"needs a 3 MB tmpfs as PMX_HOME: {whyNot}");
        try
        {
            var sandbox = new PmxSandbox(mount!.Path);
            sandbox.WriteConfig($"""
                [[apps]]
                name = "chatty"
                time = true
                script = "/bin/sh"
                interpreter = "none"
                args = ["-c", "{ChattyScript}"]

                [[apps]]
                name = "steady"
                time = true
                script = "{PmxSandbox.TestWorker}"
                """);
            return (mount, sandbox);
        }
        catch
        {
            mount!.Dispose();
            throw;
        }
    }

    static bool ResumedAfterMarker(string log, long from)
    {
        var marker = log.LastIndexOf(" lines dropped: no space left on device]\n", StringComparison.Ordinal);
        return marker >= from && log.IndexOf(": tick ", marker, StringComparison.Ordinal) > marker && log.Length - marker > 64 * 1024;
    }

    static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
