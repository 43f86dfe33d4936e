using System.Text.Json;

namespace Pmx.Windows;

/// <summary>
/// A Windows daemon killed hard takes its workers with it (it holds their Job Objects); the next
/// pmx command starts a daemon that reads the dead one's state.json and brings every app back:
/// the same slots online with new workers, each restart counted, nothing left of the old ones.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(WindowsDaemonDeathTests))]
public sealed class WindowsDaemonDeathTests(WinePrefix prefix)
{
    const string Worker = WindowsTestWorker.FileName;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Before(Test)]
    public void NeedsWineAndTheWindowsTestWorker() => WindowsTestWorker.SkipUnlessReady(prefix);

    [Test, Timeout(300_000)]
    public async Task AKilledDaemonsForkAppComesBackOnlineWithNewWorkersAndOneRestartEach(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var start = await home.Pmx(ct, "start", WinePmx.WindowsPath(WindowsTestWorker.Exe), "--name", "w", "-i", "2", "--kill-timeout", "60s");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stderr + home.DaemonLog);
        await Poll.Until(async () => (await Workers(home, ct)).Count(w => w.Status == "online") == 2, Deadline, "2 online", ct);
        var oldPids = (await Workers(home, ct)).Select(w => w.Pid).ToHashSet();
        await Assert.That(File.Exists(Path.Combine(home.Path, "state.json"))).IsTrue().Because("the daemon records its apps as it runs");
        await Assert.That(prefix.Processes(Worker).Count).IsEqualTo(2);

        // No pmx command runs now: the prefix's only pmx.exe is the daemon (its Linux process).
        var daemons = prefix.Processes("pmx.exe");
        await Assert.That(daemons.Count).IsEqualTo(1).Because("exactly one daemon process");
        var kill = await WinePmx.RunTool("kill", ["-9", daemons[0].ToString(System.Globalization.CultureInfo.InvariantCulture)], prefix, TimeSpan.FromSeconds(10), ct);
        await Assert.That(kill.ExitCode).IsEqualTo(0).Because(kill.Stderr);
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "the workers gone with the daemon's Job Objects", ct);

        // The next `list` starts a new daemon (the dead one left state.json), which restarts both slots.
        var table = await home.Pmx(ct, "list");
        await Assert.That(table.ExitCode).IsEqualTo(0).Because(table.Stderr + home.DaemonLog);
        await Assert.That(table.Stdout).DoesNotContain("No apps yet").Because(table.Stdout + home.DaemonLog);
        await Poll.Until(async () => await Workers(home, ct) is { Count: 2 } ws && ws.All(w => w.Status == "online"), Deadline, "2 online again", ct);
        var revived = await Workers(home, ct);
        await Assert.That(revived.Select(w => w.Restarts)).IsEquivalentTo([1, 1]).Because(home.DaemonLog);
        await Assert.That(revived.Any(w => oldPids.Contains(w.Pid))).IsFalse().Because("new workers, not the old pids");
        await Assert.That(prefix.Processes(Worker).Count).IsEqualTo(2).Because("no duplicate beside the restarted workers");
        await Assert.That(home.DaemonLog).Contains("the previous daemon died; its 2 workers died with it (Job Objects); restarted them");

        var down = await home.Pmx(ct, "down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr + home.DaemonLog);
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "no testworker.exe left after down", ct);
    }

    sealed record ListedWorker(int Pid, string Status, int Restarts);

    static async Task<IReadOnlyList<ListedWorker>> Workers(WineHome home, CancellationToken ct)
    {
        var list = await home.Pmx(ct, "list", "--json");
        if (list.ExitCode != 0) return [];
        using var json = JsonDocument.Parse(list.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(p => new ListedWorker(
            p.GetProperty("pid").GetInt32(), p.GetProperty("status").GetString()!, p.GetProperty("restarts").GetInt32()))];
    }
}
