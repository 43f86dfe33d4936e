using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Pmx.EndToEnd;

namespace Pmx.Windows;

/// <summary>
/// samples/dotnet-web under Wine, in cluster mode: Pmx.Hosting takes the app's listening socket
/// over each worker's hand-off pipe (PMX_HANDOFF_PIPE) and says READY=1 there; pmx's STOP on the
/// pipe drains a worker, so a reload under load loses no request.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel("load")]
public sealed class DotnetSampleTests(WinePrefix prefix)
{
    static readonly TimeSpan OnlineDeadline = TimeSpan.FromSeconds(120);
    static string Sample => Path.Combine(WinePmx.RepoRoot, "artifacts", "windows-samples", "dotnet-web", "dotnet-web.exe");

    [Test, Timeout(600_000)]
    public async Task TheSampleComesUpOnTheHandedOverSocketReloadsUnderLoadWithoutAFailedRequestScalesStopsAndGoesDown(CancellationToken ct)
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
        if (!File.Exists(Sample)) throw new InvalidOperationException($"{Sample} is missing: run ./build.sh windows first");
        await using var home = new WineHome(prefix);
        var port = WinePmx.FreePort();
        var config = WriteConfig(home.Path, port, instances: 3);
        Task<RunResult> Pmx(params string[] args) => WinePmx.Run(prefix, home.Path, args, ct);

        // wait_ready: online means READY=1 came over the pipe.
        var up = await Pmx("up", "-c", config);
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stderr + home.DaemonLog);
        await Assert.That(await WinePmx.OnlineCount(Pmx)).IsEqualTo(3);

        // More than one worker accepts on the one socket (each has its own duplicate).
        var answering = new HashSet<string>();
        await Poll.Until(async () =>
        {
            var (_, hello) = await LoadClient.Get(port);
            answering.Add(hello.Split(' ').FirstOrDefault(word => word.StartsWith("pid=", StringComparison.Ordinal)) ?? hello);
            return answering.Count >= 2;
        }, OnlineDeadline, "answers from two different workers", ct);

        await using (var load = new LoadClient(port, concurrency: 4, keepAlive: true))
        {
            await load.SucceededAfter(20, ct);
            var reload = await Pmx("reload", "web");
            var before = load.Succeeded;
            await load.SucceededAfter(before + 20, ct);
            await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stderr + home.DaemonLog);
            await Assert.That(load.Failures).IsEmpty();
        }

        var scale = await Pmx("scale", "web", "2");
        await Assert.That(scale.ExitCode).IsEqualTo(0).Because(scale.Stderr + home.DaemonLog);
        await Poll.Until(async () => await WinePmx.OnlineCount(Pmx) == 2, OnlineDeadline, "2 workers online", ct);
        var (status, body) = await LoadClient.Get(port);
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(body).StartsWith("hello from dotnet-web pid=");

        var stop = await Pmx("stop", "web");
        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        await Assert.That(await WinePmx.OnlineCount(Pmx)).IsEqualTo(0);
        // Stopped by STOP on the pipe, not killed after kill_timeout.
        await Assert.That(home.DaemonLog).DoesNotContain("sending SIGKILL");

        var down = await Pmx("down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr);
        await Poll.Until(() => prefix.Processes("dotnet-web.exe").Count == 0, OnlineDeadline, "no dotnet-web.exe left", ct);
    }

    /// <summary>
    /// An app that cannot take the socket (here node.exe under another name, so pmx's Node route does
    /// not apply, running a script that never opens the pipe): it never gets ready, `up` and its
    /// status say what it lacks, and its stop ends in a kill after kill_timeout instead of hanging the daemon.
    /// </summary>
    [Test, Timeout(300_000)]
    public async Task AClusterWorkerThatNeverTakesItsSocketSaysItNeedsPmxHostingAndIsStillStopped(CancellationToken ct)
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
        var node = Environment.GetEnvironmentVariable("PMX_WINDOWS_NODE");
        if (node is null || !File.Exists(node)) Skip.Test("PMX_WINDOWS_NODE does not name node.exe: run the lane through ./build.sh test");
        await using var home = new WineHome(prefix);
        var stranger = Path.Combine(home.Path, "stranger.exe");
        File.CreateSymbolicLink(stranger, node);
        var idle = Path.Combine(home.Path, "idle.js");
        File.WriteAllText(idle, "setInterval(() => {}, 1000);\n");
        var config = Path.Combine(home.Path, "ecosystem.toml");
        File.WriteAllText(config, $"""
            [[apps]]
            name = "stranger"
            script = '{WinePmx.WindowsPath(stranger)}'
            args = ['{WinePmx.WindowsPath(idle)}']
            interpreter = "none"
            exec_mode = "cluster"
            port = {WinePmx.FreePort()}
            host = "127.0.0.1"
            wait_ready = true
            listen_timeout = 3000
            kill_timeout = 2000
            """);
        Task<RunResult> Pmx(params string[] args) => WinePmx.Run(prefix, home.Path, args, ct);

        // Never ready: up fails, and says why.
        var up = await Pmx("up", "-c", WinePmx.WindowsPath(config));
        await Assert.That(up.ExitCode).IsNotEqualTo(0);
        await Assert.That(up.Stderr).Contains("Pmx.Hosting").Because(up.Stderr + home.DaemonLog);
        // The slot may be between workers (a new one launching has no status yet): the last exit keeps the old one's.
        var describe = await Pmx("describe", "stranger");
        await Assert.That(describe.Stdout).Contains("Pmx.Hosting").Because(describe.Stdout + home.DaemonLog);
        await Assert.That(describe.Stdout).Contains("exec_mode = \"fork\"");

        var down = await Pmx("down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr + home.DaemonLog);
        await Poll.Until(() => prefix.Processes("stranger.exe").Count == 0, OnlineDeadline, "no stranger.exe left", ct);
    }

    /// <summary>
    /// Fork mode: no hand-off pipe, the sample binds PORT itself (UsePmx is a no-op). Its stop must
    /// not hang the daemon on a write to a Node channel nobody reads: it is killed after kill_timeout.
    /// </summary>
    [Test, Timeout(300_000)]
    public async Task TheSampleInForkModeBindsItsOwnPortAndIsStillStopped(CancellationToken ct)
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
        if (!File.Exists(Sample)) throw new InvalidOperationException($"{Sample} is missing: run ./build.sh windows first");
        await using var home = new WineHome(prefix);
        var port = WinePmx.FreePort();
        var config = Path.Combine(home.Path, "ecosystem.toml");
        File.WriteAllText(config, $"""
            [[apps]]
            name = "web"
            script = '{WinePmx.WindowsPath(Sample)}'
            interpreter = "none"
            kill_timeout = 2000

            [apps.env]
            PORT = "{port}"
            """);
        Task<RunResult> Pmx(params string[] args) => WinePmx.Run(prefix, home.Path, args, ct);

        var up = await Pmx("up", "-c", WinePmx.WindowsPath(config));
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stderr + home.DaemonLog);
        await Poll.Until(async () =>
        {
            try { return (await LoadClient.Get(port)).Status == 200; }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException) { return false; }
        }, OnlineDeadline, "the sample answering on its own port", ct);

        var stop = await Pmx("stop", "web");
        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stderr + home.DaemonLog);
        await Assert.That(await WinePmx.OnlineCount(Pmx)).IsEqualTo(0);
        var down = await Pmx("down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr);
        await Poll.Until(() => prefix.Processes("dotnet-web.exe").Count == 0, OnlineDeadline, "no dotnet-web.exe left", ct);
    }

    static string WriteConfig(string home, int port, int instances)
    {
        var path = Path.Combine(home, "ecosystem.toml");
        File.WriteAllText(path, $"""
            [[apps]]
            name = "web"
            script = '{WinePmx.WindowsPath(Sample)}'
            interpreter = "none"
            instances = {instances}
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            wait_ready = true
            listen_timeout = 60000
            kill_timeout = 20000

            [apps.env]
            DRAIN_MS = "1000"
            """);
        return WinePmx.WindowsPath(path);
    }
}
