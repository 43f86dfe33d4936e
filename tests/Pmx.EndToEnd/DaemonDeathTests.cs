using System.Globalization;
using static Pmx.EndToEnd.DaemonWorld;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 14: the daemon is not a single point of failure. Under continuous load on a 4-instance
/// cluster app, with a fork app writing a numbered line every 50 ms, killing the daemon (and then
/// the biggest pmx process of the PMX_HOME) fails no request, keeps every worker's pid, loses no
/// log line, and leaves a daemon that knows every worker and reloads them.
/// </summary>
[NotInParallel("load")]
public class DaemonDeathTests
{
    [Test, Timeout(180_000)]
    public async Task KillingTheDaemonThenTheBiggestPmxProcessFailsNoRequestKeepsEveryPidAndLosesNoLogLine(CancellationToken ct)
    {
        var (sandbox, port) = await DaemonWorld.Start(withTicker: true, ct);
        await using var _ = sandbox;
        var before = await OnlinePids(sandbox, ct);
        await Assert.That(before.Count).IsEqualTo(5);

        await using var load = new LoadClient(port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var firstDaemon = DaemonPid(sandbox);
        KillHard(firstDaemon);
        await SameWorkersOnlineUnderANewDaemon(sandbox, before, firstDaemon, ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        var biggest = BiggestPmxProcess(sandbox);
        var daemonBefore = DaemonPid(sandbox);
        KillHard(biggest);
        await SameWorkersOnlineUnderANewDaemon(sandbox, before, biggest == daemonBefore ? daemonBefore : 0, ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        var reload = await sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        var after = await OnlinePids(sandbox, ct);
        foreach (var instance in Enumerable.Range(0, 4))
            await Assert.That(after[("web", instance)]).IsNotEqualTo(before[("web", instance)]);
        await Assert.That(after[("ticker", 0)]).IsEqualTo(before[("ticker", 0)]);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();

        await Assert.That(MissingTicks(Path.Combine(sandbox.Home, "logs", "ticker-0-out.log"))).IsEmpty();

        await sandbox.PmxOk(ct, "down");
        await Poll.Until(() => !sandbox.ProcessesOfThisHome().Any(), TimeSpan.FromSeconds(15), "no process of this PMX_HOME left after 'pmx down'", ct);
    }

    [Test, Timeout(180_000)]
    public async Task KillingTheKeeperFailsNoRequestAndTheNewKeeperStillCarriesTheAppsThroughTheDaemonsDeath(CancellationToken ct)
    {
        var (sandbox, port) = await DaemonWorld.Start(withTicker: true, ct);
        await using var _ = sandbox;
        var before = await OnlinePids(sandbox, ct);
        await using var load = new LoadClient(port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var firstKeeper = PidIn(sandbox, "keeper.pid");
        var daemon = DaemonPid(sandbox);
        KillHard(firstKeeper);
        // A new keeper writes keeper.pid once it holds every copy: killing the daemon any earlier would
        // (rightly) lose the workers, so waiting for the process alone made this test flaky under load.
        await Poll.Until(() => PidIn(sandbox, "keeper.pid") != firstKeeper && IsAlive(PidIn(sandbox, "keeper.pid")),
            TimeSpan.FromSeconds(15), "the daemon to start a new keeper and hand it every copy", ct);
        await Assert.That(DaemonPid(sandbox)).IsEqualTo(daemon);
        await Assert.That(await OnlinePids(sandbox, ct)).IsEquivalentTo(before);

        KillHard(daemon);
        await SameWorkersOnlineUnderANewDaemon(sandbox, before, daemon, ct);
        var reload = await sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();
        await Assert.That(MissingTicks(Path.Combine(sandbox.Home, "logs", "ticker-0-out.log"))).IsEmpty();
        await sandbox.PmxOk(ct, "down");
        await Poll.Until(() => !sandbox.ProcessesOfThisHome().Any(), TimeSpan.FromSeconds(15), "no process of this PMX_HOME left after 'pmx down'", ct);
    }

    [Test, Timeout(180_000)]
    public async Task KillingTheDaemonDuringAReloadFailsNoRequestAndLeavesFourWorkersServing(CancellationToken ct)
    {
        var (sandbox, port) = await DaemonWorld.Start(withTicker: false, ct);
        await using var _ = sandbox;
        await using var load = new LoadClient(port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);
        var daemon = DaemonPid(sandbox);

        var reload = sandbox.Pmx(ct, "reload", "web");
        // `up` started 4 workers; a 5th "started as pid" line is the reload's first new worker.
        await Poll.Until(() => CountOf(File.ReadAllText(sandbox.DaemonLog), "started as pid") >= 5,
            TimeSpan.FromSeconds(15), "the reload to start a new worker", ct);
        KillHard(daemon);
        await reload; // it may fail: its daemon died under it

        await Poll.Until(async () => DaemonPid(sandbox) is var d && d != 0 && d != daemon
            && (await OnlinePids(sandbox, ct)).Count == 4, TimeSpan.FromSeconds(20), "4 web workers online under a new daemon", ct);
        await Poll.Until(() => sandbox.ProcessesOfThisHome().Count(pid => ExecutableOf(pid) == PmxSandbox.TestWorker) == 4,
            TimeSpan.FromSeconds(20), "exactly 4 web workers left running (the interrupted reload's extra one stopped)", ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();
        var again = await sandbox.Pmx(ct, "reload", "web");
        await Assert.That(again.ExitCode).IsEqualTo(0).Because(again.Stdout + again.Stderr);
    }

    [Test, Timeout(120_000)]
    public async Task ADaemonThatCannotAdoptTheWorkersOfADeadOneStopsThemSaysSoAndStartsNoDuplicate(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig(WebApp(port));
        // A bare `pmx daemon` has no keeper: when it dies, nothing holds its workers' pipes.
        using (var bare = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(PmxBinary.Path, "daemon")
        {
            Environment = { ["PMX_HOME"] = sandbox.Home },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            await Poll.Until(() => File.Exists(Path.Combine(sandbox.Home, "pmx.sock")), TimeSpan.FromSeconds(10), "the bare daemon's socket", ct);
            await sandbox.PmxOk(ct, "up");
            var orphans = (await OnlinePids(sandbox, ct)).Values.ToList();
            bare.Kill();
            await bare.WaitForExitAsync(ct);

            await sandbox.PmxOk(ct, "up");
            var now = new Dictionary<(string, int), int>();
            await Poll.Until(async () => (now = await OnlinePids(sandbox, ct)).Count == 4, TimeSpan.FromSeconds(15), "4 web workers online again", ct);
            await Assert.That(now.Values.Intersect(orphans)).IsEmpty();
            await Poll.Until(() => orphans.All(pid => !IsAlive(pid) || IsZombie(pid)), TimeSpan.FromSeconds(10), "the unadoptable workers to be stopped", ct);
            await Assert.That(sandbox.ProcessesOfThisHome().Count(pid => ExecutableOf(pid) == PmxSandbox.TestWorker)).IsEqualTo(4);
            await Assert.That(File.ReadAllText(sandbox.DaemonLog)).Contains("cannot be adopted");
        }
    }

    static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    [Test, Timeout(120_000)]
    public async Task ADaemonThatAdoptedItsWorkersHoldsNoMoreDescriptorsThanAFreshOne(CancellationToken ct)
    {
        var (sandbox, port) = await DaemonWorld.Start(withTicker: true, ct);
        await using var _ = sandbox;
        var before = await OnlinePids(sandbox, ct);
        var fresh = DaemonPid(sandbox);
        var freshCount = DescriptorCount(fresh);

        KillHard(fresh);
        await SameWorkersOnlineUnderANewDaemon(sandbox, before, fresh, ct);
        var adopter = DaemonPid(sandbox);
        // Polled: a `pmx list` connection of the wait above may still be closing. The adopter holds as
        // many sockets as a fresh daemon now (the sd_notify ones too), so such a transient shows.
        await Poll.Until(() => DescriptorCount(adopter) <= freshCount, TimeSpan.FromSeconds(10),
            $"the adopting daemon to hold at most the {freshCount} descriptors of a fresh one", ct);
    }

    static async Task SameWorkersOnlineUnderANewDaemon(PmxSandbox sandbox, Dictionary<(string, int), int> pids, int deadDaemon, CancellationToken ct)
    {
        await Poll.Until(async () =>
        {
            var result = await sandbox.Pmx(ct, "list", "--json");
            if (result.ExitCode != 0) return false;
            var now = await OnlinePids(sandbox, ct);
            return now.Count == pids.Count && pids.All(p => now.GetValueOrDefault(p.Key) == p.Value);
        }, TimeSpan.FromSeconds(15), "pmx list to show the same workers online under a new daemon", ct);
        await Assert.That(DaemonPid(sandbox)).IsNotEqualTo(deadDaemon);
    }

    static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    static void KillHard(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();

    /// <summary>The pmx process of this PMX_HOME with the largest resident set (what an OOM killer picks).</summary>
    static int BiggestPmxProcess(PmxSandbox sandbox) => sandbox.ProcessesOfThisHome()
        .Where(pid => ExecutableOf(pid) == PmxBinary.Path)
        .MaxBy(ResidentPages);

    static string? ExecutableOf(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/exe").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    static long ResidentPages(int pid)
    {
        try { return long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1], CultureInfo.InvariantCulture); }
        catch (IOException) { return 0; }
    }

    static int DescriptorCount(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>The numbers missing from "tick 1", "tick 2", … up to the last line written.</summary>
    static List<int> MissingTicks(string logPath)
    {
        var seen = File.ReadAllLines(logPath).Where(l => l.StartsWith("tick ", StringComparison.Ordinal))
            .Select(l => int.Parse(l[5..], CultureInfo.InvariantCulture)).ToHashSet();
        return seen.Count == 0 ? [-1] : Enumerable.Range(1, seen.Max()).Where(n => !seen.Contains(n)).ToList();
    }
}
