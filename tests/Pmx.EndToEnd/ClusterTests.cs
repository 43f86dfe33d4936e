namespace Pmx.EndToEnd;

/// <summary>
/// The zero-downtime promises: one shared port, readiness-gated rolling reloads and scaling under
/// continuous load on 127.0.0.1, counting every failed request. The worker speaks only LISTEN_FDS
/// and sd_notify.
/// </summary>
[NotInParallel("load")]
public class ClusterTests
{
    sealed class Cluster(PmxSandbox sandbox, int port) : IAsyncDisposable
    {
        public PmxSandbox Sandbox { get; } = sandbox;
        public int Port { get; } = port;

        public string ReusePort { get; set; } = "shared";

        public void WriteVersion(string tag, int instances = 4, string extraArgs = "", int listenTimeoutMs = 5000) =>
            Sandbox.WriteConfig($"""
                [[apps]]
                name = "web"
                script = "{PmxSandbox.TestWorker}"
                args = ["--http", "--notify-ready", "--tag", "{tag}", "--drain", "300ms"{extraArgs}]
                instances = {instances}
                exec_mode = "cluster"
                port = {Port}
                host = "127.0.0.1"
                reuse_port = "{ReusePort}"
                wait_ready = true
                listen_timeout = {listenTimeoutMs}
                kill_signal = "SIGTERM"
                kill_timeout = 5000
                """);

        public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
    }

    static async Task<Cluster> StartCluster(CancellationToken ct, int instances = 4, string reusePort = "shared")
    {
        var cluster = new Cluster(new PmxSandbox(), PmxSandbox.FreePort()) { ReusePort = reusePort };
        await cluster.Sandbox.DisposeIfSetupFails(async () =>
        {
            cluster.WriteVersion("v1", instances);
            var up = await cluster.Sandbox.Pmx(ct, "up");
            await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stdout + up.Stderr);
            var (status, body) = await LoadClient.Get(cluster.Port);
            await Assert.That(status).IsEqualTo(200);
            await Assert.That(body).StartsWith("tag=v1");
        });
        return cluster;
    }

    static async Task<IReadOnlyList<string>> ReloadThreeTimesUnderLoad(Cluster cluster, bool keepAlive, CancellationToken ct)
    {
        await using var load = new LoadClient(cluster.Port, concurrency: 4, keepAlive);
        await load.SucceededAfter(50, ct);
        foreach (var tag in new[] { "v2", "v3", "v4" })
        {
            cluster.WriteVersion(tag);
            var reload = await cluster.Sandbox.Pmx(ct, "reload", "web");
            await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        }
        await load.SucceededAfter(load.Succeeded + 50, ct);
        return load.Failures;
    }

    static async Task EveryResponseComesFrom(Cluster cluster, string tag)
    {
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await LoadClient.Get(cluster.Port);
            await Assert.That(status).IsEqualTo(200);
            await Assert.That(body).StartsWith($"tag={tag} ");
        }
    }

    [Test, Timeout(120_000)]
    public async Task ThreeReloadsUnderLoadWithANewConnectionPerRequestFailNoRequest(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct);
        var failures = await ReloadThreeTimesUnderLoad(cluster, keepAlive: false, ct);
        await Assert.That(failures).IsEmpty();
        await EveryResponseComesFrom(cluster, "v4");
        var rows = await cluster.Sandbox.List(ct);
        await Assert.That(rows.Count(r => r.Status == "online")).IsEqualTo(4);
    }

    [Test, Timeout(120_000)]
    public async Task ThreeReloadsUnderLoadWithKeepAliveClientsFailNoRequest(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct);
        var failures = await ReloadThreeTimesUnderLoad(cluster, keepAlive: true, ct);
        await Assert.That(failures).IsEmpty();
        await EveryResponseComesFrom(cluster, "v4");
    }

    [Test, Timeout(120_000)]
    public async Task TwoSecondRequestsInFlightWhenTheReloadStartsAllComplete(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct);
        var slow = Enumerable.Range(0, 8).Select(_ => LoadClient.Get(cluster.Port, "/slow?ms=2000")).ToList();
        cluster.WriteVersion("v2");
        var reload = await cluster.Sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stderr);
        var results = await Task.WhenAll(slow);
        await Assert.That(results.All(r => r.Status == 200)).IsTrue();
    }

    [Test, Timeout(120_000)]
    public async Task ScalingTo8Then2ThenPlus2UnderLoadFailsNoRequest(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct);
        await using var load = new LoadClient(cluster.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);
        foreach (var (count, expected) in new[] { ("8", 8), ("2", 2), ("+2", 4) })
        {
            var scale = await cluster.Sandbox.Pmx(ct, "scale", "web", count);
            await Assert.That(scale.ExitCode).IsEqualTo(0).Because(scale.Stdout + scale.Stderr);
            var rows = await cluster.Sandbox.List(ct);
            await Assert.That(rows.Count).IsEqualTo(expected);
            await Assert.That(rows.All(r => r.Status == "online")).IsTrue();
            await load.SucceededAfter(load.Succeeded + 30, ct);
        }
        await Assert.That(load.Failures).IsEmpty();
    }

    [Test, Timeout(60_000)]
    public async Task APortAlreadyInUseIsAClearErrorNamingAppAddressAndErrno(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var cluster = new Cluster(sandbox, port);
        cluster.WriteVersion("v1", instances: 2);
        var up = await sandbox.Pmx(ct, "up");
        await Assert.That(up.ExitCode).IsEqualTo(1);
        await Assert.That(up.Stderr).Contains($"cannot bind 127.0.0.1:{port} for app 'web'");
        await Assert.That(up.Stderr).Contains("EADDRINUSE");
        await Assert.That((await sandbox.List(ct)).All(r => r.Status == "errored")).IsTrue();
    }

    [Test, Timeout(60_000)]
    public async Task DescribeShowsTheLastStatusLineAWorkerSent(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct, instances: 1);
        cluster.WriteVersion("v2", instances: 1, extraArgs: ", \"--status\", \"warming caches\"");
        await cluster.Sandbox.PmxOk(ct, "reload", "web");
        var describe = await cluster.Sandbox.PmxOk(ct, "describe", "web");
        await Assert.That(describe.Stdout).Contains("warming caches");
    }

    [Test, Timeout(120_000)]
    public async Task PerInstanceSocketsSurviveReloadAndScaleDownSteersAwayBeforeClosing(CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct, reusePort: "per_instance");
        await using var load = new LoadClient(cluster.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);
        cluster.WriteVersion("v2");
        var reload = await cluster.Sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stderr);
        foreach (var (count, expected) in new[] { ("2", 2), ("+2", 4), ("1", 1) })
        {
            var scale = await cluster.Sandbox.Pmx(ct, "scale", "web", count);
            await Assert.That(scale.ExitCode).IsEqualTo(0).Because(scale.Stdout + scale.Stderr);
            await Assert.That((await cluster.Sandbox.List(ct)).Count).IsEqualTo(expected);
            await load.SucceededAfter(load.Succeeded + 30, ct);
        }
        await Assert.That(load.Failures).IsEmpty();
        await EveryResponseComesFrom(cluster, "v2");
    }

    [Test, Timeout(120_000)]
    [Arguments(", \"--never-ready\"")]
    [Arguments(", \"--exit\", \"1\"")]
    public async Task AReloadToAVersionThatNeverGetsReadyFailsAndTheOldOneKeepsServing(string brokenArgs, CancellationToken ct)
    {
        await using var cluster = await StartCluster(ct);
        var before = (await cluster.Sandbox.List(ct)).Select(r => r.Pid).ToList();
        await using var load = new LoadClient(cluster.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);
        cluster.WriteVersion("broken", extraArgs: brokenArgs, listenTimeoutMs: 2000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reload = await cluster.Sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsNotEqualTo(0);
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(2 + 5));
        await Assert.That(reload.Stderr).Contains("reload of web stopped");
        await load.SucceededAfter(load.Succeeded + 30, ct);
        await Assert.That(load.Failures).IsEmpty();
        await EveryResponseComesFrom(cluster, "v1");
        var rows = await cluster.Sandbox.List(ct);
        await Assert.That(rows.All(r => r.Status == "online")).IsTrue();
        await Assert.That(rows.Select(r => r.Pid)).IsEquivalentTo(before, CollectionOrdering.Matching);
    }
}
