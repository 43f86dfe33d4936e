namespace Pmx.EndToEnd;

/// <summary>What PM2 users reach for after day one: reconcile, save/resurrect, start/restart/delete (startup: StartupTests).</summary>
public class OperationsTests
{
    static string App(string name, int instances, string args = "") => $"""
        [[apps]]
        name = "{name}"
        script = "{PmxSandbox.TestWorker}"
        instances = {instances}
        args = [{args}]

        """;

    [Test, Timeout(60_000)]
    public async Task SaveKillResurrectBringsBackTheSameAppsAndInstanceCounts(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig(App("api", 2) + App("jobs", 1));
        await sandbox.PmxOk(ct, "up");
        await sandbox.PmxOk(ct, "scale", "api", "3");
        await sandbox.PmxOk(ct, "save");
        await sandbox.PmxOk(ct, "kill");
        await Assert.That(await sandbox.List(ct)).IsEmpty();
        var resurrect = await sandbox.PmxOk(ct, "resurrect");
        await Poll.Until(async () => (await sandbox.List(ct)).All(r => r.Status == "online"), TimeSpan.FromSeconds(10), "every resurrected instance online", ct);
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Count(r => r.Name == "api")).IsEqualTo(3);
        await Assert.That(rows.Count(r => r.Name == "jobs")).IsEqualTo(1);
    }

    [Test, Timeout(30_000)]
    public async Task ADamagedDumpIsReportedAndNothingStarts(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        File.WriteAllText(Path.Combine(sandbox.Home, "dump.toml"), "[[apps]]\nname = \"api\"\nscript = \n");
        var resurrect = await sandbox.Pmx(ct, "resurrect");
        await Assert.That(resurrect.ExitCode).IsEqualTo(2);
        await Assert.That(resurrect.Stderr).Contains("dump.toml:3");
        await Assert.That(await sandbox.List(ct)).IsEmpty();
    }

    [Test, Timeout(30_000)]
    public async Task SavingAnEmptyListIsRefusedUnlessForced(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig(App("api", 1));
        await sandbox.PmxOk(ct, "up");
        await sandbox.PmxOk(ct, "delete", "api");
        var save = await sandbox.Pmx(ct, "save");
        await Assert.That(save.ExitCode).IsEqualTo(1);
        await Assert.That(save.Stderr).Contains("--force");
    }

    [Test, Timeout(60_000)]
    [NotInParallel("load")]
    public async Task UpAgainKeepsUnchangedAppsScalesChangedOnesAndStopsRemovedOnes(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        var web = $"""
            [[apps]]
            name = "web"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--notify-ready"]
            instances = 2
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            wait_ready = true

            """;
        sandbox.WriteConfig(web + App("jobs", 1) + App("old", 1));
        await sandbox.PmxOk(ct, "up");
        var before = await sandbox.List(ct);
        var oldPid = before.Single(r => r.Name == "old").Pid;
        await using var load = new LoadClient(port, concurrency: 2, keepAlive: false);
        await load.SucceededAfter(30, ct);

        sandbox.WriteConfig(web + App("jobs", 3));
        var up = await sandbox.PmxOk(ct, "up");
        await load.SucceededAfter(load.Succeeded + 30, ct);

        var after = await sandbox.List(ct);
        await Assert.That(after.Where(r => r.Name == "web").Select(r => r.Pid))
            .IsEquivalentTo(before.Where(r => r.Name == "web").Select(r => r.Pid), CollectionOrdering.Matching);
        await Assert.That(after.Count(r => r.Name == "jobs" && r.Status == "online")).IsEqualTo(3);
        await Assert.That(after.Any(r => r.Name == "old")).IsFalse();
        await Assert.That(Directory.Exists($"/proc/{oldPid}")).IsFalse();
        await Assert.That(load.Failures).IsEmpty();
        await Assert.That(up.Stdout).Contains("web: unchanged");
    }

    [Test, Timeout(60_000)]
    public async Task StartRestartAndDeleteAnAppFromTheCommandLine(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "adhoc", "-i", "2", "--", "--tag", "x");
        var started = await sandbox.List(ct);
        await Assert.That(started.Count(r => r.Name == "adhoc" && r.Status == "online")).IsEqualTo(2);
        await sandbox.PmxOk(ct, "restart", "adhoc");
        var restarted = await sandbox.List(ct);
        await Assert.That(restarted.All(r => r.Status == "online" && r.Restarts == 1)).IsTrue();
        await Assert.That(restarted.Select(r => r.Pid).Intersect(started.Select(r => r.Pid))).IsEmpty();
        await sandbox.PmxOk(ct, "stop", "adhoc");
        await Assert.That((await sandbox.List(ct)).All(r => r.Status == "stopped" && r.Pid == 0)).IsTrue();
        await sandbox.PmxOk(ct, "start", "adhoc");
        await Assert.That((await sandbox.List(ct)).Count(r => r.Status == "online")).IsEqualTo(2);
        await sandbox.PmxOk(ct, "delete", "adhoc");
        await Assert.That(await sandbox.List(ct)).IsEmpty();
        var unknown = await sandbox.Pmx(ct, "stop", "adhoc");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.Stderr).Contains("no app named 'adhoc'");
    }

    [Test, Timeout(60_000)]
    public async Task SignalReachesEveryWorkerOfAnAppOrJustOneInstance(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig(App("api", 2));
        await sandbox.PmxOk(ct, "up");
        var one = await sandbox.PmxOk(ct, "signal", "SIGTERM", "api#1");
        await Assert.That(one.Stdout).Contains("sent SIGTERM to 1 worker of api#1");
        // The fixture exits 0 on SIGTERM and pmx brings it back: instance 1 restarts, instance 0 does not.
        await Poll.Until(async () => (await sandbox.List(ct)).Single(r => r.Instance == 1) is { Restarts: 1, Status: "online" },
            TimeSpan.FromSeconds(10), "api#1 restarted after its SIGTERM", ct);
        await Assert.That((await sandbox.List(ct)).Single(r => r.Instance == 0).Restarts).IsEqualTo(0);
        var bad = await sandbox.Pmx(ct, "signal", "SIGNOPE", "api");
        await Assert.That(bad.ExitCode).IsEqualTo(2);
    }

    [Test, Timeout(60_000)]
    public async Task DownWithAConfigStopsOnlyThatFilesApps(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var first = sandbox.WriteConfig(App("api", 1), "first.toml");
        var second = sandbox.WriteConfig(App("jobs", 1), "second.toml");
        await sandbox.PmxOk(ct, "up", "-c", first);
        await sandbox.PmxOk(ct, "up", "-c", second);
        await sandbox.PmxOk(ct, "down", "-c", first);
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Select(r => r.Name)).IsEquivalentTo(["jobs"], CollectionOrdering.Matching);
        await Assert.That(rows.Single().Status).IsEqualTo("online");
    }
}
