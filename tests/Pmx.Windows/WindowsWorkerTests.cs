using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pmx.Windows;

/// <summary>
/// A worker's life on Windows under Wine, with the test worker built for win-x64
/// (artifacts/windows-testworker): the graceful stop is Ctrl+C on the console pmx shares with its
/// workers, a worker that ignores it is killed after kill_timeout, and the Job Object takes the
/// worker's children with it. Fork mode only: these workers bind nothing.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(WindowsWorkerTests))]
public sealed partial class WindowsWorkerTests(WinePrefix prefix)
{
    const string Worker = WindowsTestWorker.FileName;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    static readonly string TestWorkerExe = WindowsTestWorker.Exe;

    [Before(Test)]
    public void NeedsWineAndTheWindowsTestWorker() => WindowsTestWorker.SkipUnlessReady(prefix);

    [Test, Timeout(300_000)]
    public async Task StopSendsCtrlCAndTheWorkersOwnHandlerEndsItBeforeKillTimeout(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        await Start(home, ct, "--kill-timeout", "60s");

        var stop = await home.Pmx(ct, "stop", "w");

        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        // Exit code 0 is the worker's own: Ctrl+C unhandled ends a process with 0xC000013A, a kill with 137.
        await Assert.That(stop.Stdout).Contains("exited 0 after SIGINT").Because(stop.Stdout + home.DaemonLog);
        await Assert.That(OutLog(home)).Contains("got SIGINT");
        await Assert.That(await Status(home, ct)).IsEqualTo("stopped");
    }

    [Test, Timeout(300_000)]
    public async Task AWorkerThatIgnoresCtrlCIsKilledByItsJobObjectAfterKillTimeout(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        await Start(home, ct, "--kill-timeout", "2s", "--", "--ignore", "INT");

        var stop = await home.Pmx(ct, "stop", "w");

        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        await Assert.That(stop.Stdout).Contains("sending SIGKILL").Because(stop.Stdout + home.DaemonLog);
        await Assert.That(stop.Stdout).Contains("killed by SIGKILL");
        // The Ctrl+C did arrive: the worker said it ignored it.
        await Assert.That(OutLog(home)).Contains("ignored SIGINT");
        await Assert.That(await Status(home, ct)).IsEqualTo("stopped");
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "no testworker.exe left", ct);
    }

    [Test, Timeout(300_000)]
    public async Task TheJobObjectEndsAWorkersChildOnStopRestartAndDelete(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        // The child ignores Ctrl+C and would live 10 minutes: only the Job Object ends it early.
        await Start(home, ct, "--kill-timeout", "60s", "--", "--spawn-orphan", "10m");
        await Poll.Until(() => ChildPid(home) is not null, Deadline, "the worker to say it started a child", ct);
        await Assert.That(prefix.Processes(Worker).Count).IsEqualTo(2);

        var stop = await home.Pmx(ct, "stop", "w");
        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        await Assert.That(stop.Stdout).Contains("exited 0 after SIGINT");
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "the worker and its child gone after stop", ct);

        var restart = await home.Pmx(ct, "restart", "w");
        await Assert.That(restart.ExitCode).IsEqualTo(0).Because(restart.Stderr + home.DaemonLog);
        await Poll.Until(() => prefix.Processes(Worker).Count == 2, Deadline, "the restarted worker and its new child", ct);

        var delete = await home.Pmx(ct, "delete", "w");
        await Assert.That(delete.ExitCode).IsEqualTo(0).Because(delete.Stderr + home.DaemonLog);
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "the worker and its child gone after delete", ct);
    }

    [Test, Timeout(300_000)]
    public async Task ForkModeStartListRestartScaleAndDownWork(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        await Start(home, ct, "--kill-timeout", "60s");
        var firstPid = (await Workers(home, ct)).Single().Pid;

        var restart = await home.Pmx(ct, "restart", "w");
        await Assert.That(restart.ExitCode).IsEqualTo(0).Because(restart.Stderr + home.DaemonLog);
        await Poll.Until(async () => await Workers(home, ct) is [{ Status: "online" } w] && w.Pid != firstPid, Deadline, "a new online pid after restart", ct);

        var up = await home.Pmx(ct, "scale", "w", "3");
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stderr + home.DaemonLog);
        await Poll.Until(async () => (await Workers(home, ct)).Count(w => w.Status == "online") == 3, Deadline, "3 online", ct);
        var table = await home.Pmx(ct, "list");
        await Assert.That(table.ExitCode).IsEqualTo(0).Because(table.Stderr);
        await Assert.That(Regex.Matches(table.Stdout, @"^w\s.*\bonline\b", RegexOptions.Multiline).Count).IsEqualTo(3).Because(table.Stdout);

        var down = await home.Pmx(ct, "scale", "w", "1");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr + home.DaemonLog);
        await Poll.Until(async () => (await Workers(home, ct)).Count(w => w.Status == "online") == 1, Deadline, "1 online", ct);
        await Poll.Until(() => prefix.Processes(Worker).Count == 1, Deadline, "one testworker.exe left after scaling down", ct);

        var end = await home.Pmx(ct, "down");
        await Assert.That(end.ExitCode).IsEqualTo(0).Because(end.Stderr + home.DaemonLog);
        await Assert.That(end.Stdout).Contains("after SIGINT");
        await Poll.Until(() => prefix.Processes(Worker).Count == 0, Deadline, "no testworker.exe left after down", ct);
    }

    [Test, Timeout(300_000)]
    public async Task ANodeWorkerBusyInALoopIsKilledAfterKillTimeoutAndTheDaemonKeepsAnswering(CancellationToken ct)
    {
        var node = Environment.GetEnvironmentVariable("PMX_WINDOWS_NODE");
        if (node is null || !File.Exists(node)) Skip.Test("PMX_WINDOWS_NODE does not name node.exe: run the lane through ./build.sh test");
        await using var home = new WineHome(prefix);
        // It never reads its IPC channel again: the stop message must not wait for it (it once held the daemon for good).
        File.WriteAllText(Path.Combine(home.Path, "busy.js"),
            "process.on('SIGINT', () => process.exit(0));\nconsole.log('looping');\nsetTimeout(() => { for (;;) {} }, 500);\n");
        var env = new Dictionary<string, string> { ["WINEPATH"] = WinePmx.WindowsPath(Path.GetDirectoryName(node)!) };
        Task<RunResult> Pmx(params string[] args) => WinePmx.Run(prefix, home.Path, args, ct, env: env);
        var start = await Pmx("start", "busy.js", "--name", "busy", "--kill-timeout", "2s");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stderr + home.DaemonLog);
        var log = Path.Combine(home.Path, "logs", "busy-0-out.log");
        await Poll.Until(() => File.Exists(log) && File.ReadAllText(log).Contains("looping"), Deadline, "the app's first line", ct);

        var stop = await Pmx("stop", "busy");

        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        await Assert.That(stop.Stdout).Contains("killed by SIGKILL").Because(stop.Stdout + home.DaemonLog);
        var list = await Pmx("list", "--json");
        await Assert.That(list.ExitCode).IsEqualTo(0).Because(list.Stderr);
        await Assert.That(list.Stdout).Contains("\"status\":\"stopped\"");
        await Poll.Until(() => prefix.Processes("node.exe").Count == 0, Deadline, "no node.exe left", ct);
    }

    [Test, Timeout(300_000)]
    public async Task ListShowsTheMemoryOfAWindowsWorker(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        await Start(home, ct, "--kill-timeout", "60s");

        // The daemon samples every 2 s; a .NET worker's working set is megabytes.
        await Poll.Until(async () => await MemoryBytes(home, ct) > 1024 * 1024, Deadline, "list --json to show the worker's memory", ct);
        var table = await home.Pmx(ct, "list");
        await Assert.That(table.Stdout).DoesNotContain(" 0 B").Because(table.Stdout);
    }

    static async Task<long> MemoryBytes(WineHome home, CancellationToken ct)
    {
        var list = await home.Pmx(ct, "list", "--json");
        if (list.ExitCode != 0) return -1;
        using var json = JsonDocument.Parse(list.Stdout);
        return json.RootElement.EnumerateArray().Single().GetProperty("memory_bytes").GetInt64();
    }

    /// <summary>`pmx start testworker.exe --name w [options]`, then waits until the worker has put its Ctrl+C handler in.</summary>
    static async Task Start(WineHome home, CancellationToken ct, params string[] options)
    {
        var start = await home.Pmx(ct, ["start", WinePmx.WindowsPath(TestWorkerExe), "--name", "w", .. options]);
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stderr + home.DaemonLog);
        // The worker prints "started" after it re-enabled Ctrl+C and registered its handlers.
        await Poll.Until(() => OutLog(home).Contains(" started"), Deadline, "the worker's started line", ct);
    }

    static string OutLog(WineHome home)
    {
        var path = Path.Combine(home.Path, "logs", "w-0-out.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    static string? ChildPid(WineHome home) => ChildLine().Match(OutLog(home)) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"spawned orphan pid=(\d+)")]
    private static partial Regex ChildLine();

    sealed record ListedWorker(int Pid, string Status);

    static async Task<IReadOnlyList<ListedWorker>> Workers(WineHome home, CancellationToken ct)
    {
        var list = await home.Pmx(ct, "list", "--json");
        if (list.ExitCode != 0) return [];
        using var json = JsonDocument.Parse(list.Stdout);
        return [.. json.RootElement.EnumerateArray().Select(p => new ListedWorker(p.GetProperty("pid").GetInt32(), p.GetProperty("status").GetString()!))];
    }

    static async Task<string> Status(WineHome home, CancellationToken ct) => (await Workers(home, ct)).Single().Status;
}
