using System.Net.Sockets;

namespace Pmx.EndToEnd;

/// <summary>Issue 11, defect 8: no listening socket pmx keeps open lets clients wait for a worker that will never come.</summary>
public class SocketLifecycleTests
{
    [Test, Timeout(90_000)]
    public async Task AnErroredPerInstanceSlotGetsNoNewConnections(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "/bin/sh"
            args = ["-c", "if [ \"$PMX_INSTANCE\" = 1 ]; then exit 3; fi; exec {PmxSandbox.TestWorker} --http"]
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            reuse_port = "per_instance"
            instances = 2
            max_restarts = 1
            """);
        await sandbox.Pmx(ct, "up");
        await Poll.Until(async () => (await sandbox.List(ct)) is var rows
                && rows.Any(r => r is { Instance: 1, Status: "errored" }) && rows.Any(r => r is { Instance: 0, Status: "online" }),
            TimeSpan.FromSeconds(30), "web#1 errored beside an online web#0", ct);
        for (var i = 0; i < 20; i++)
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
            var response = await http.GetAsync($"http://127.0.0.1:{port}/", ct);
            await Assert.That(response.IsSuccessStatusCode).IsTrue();
        }
    }

    [Test, Timeout(60_000)]
    public async Task AStoppedClusterAppRefusesConnectionsAndAcceptsThemAgainAfterStart(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http"]
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            """);
        await sandbox.PmxOk(ct, "up");
        await sandbox.PmxOk(ct, "stop", "web");
        using (var client = new TcpClient())
        {
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync("127.0.0.1", port, ct));
            await Assert.That(refused!.SocketErrorCode).IsEqualTo(SocketError.ConnectionRefused);
        }
        await sandbox.PmxOk(ct, "start", "web");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.That((await http.GetAsync($"http://127.0.0.1:{port}/", ct)).IsSuccessStatusCode).IsTrue();
    }

    [Test, Timeout(120_000)]
    public async Task AScaleDownAfterAnErroredSlotCameBackLosesNoConnectionUnderLoad(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        var broken = Path.Combine(sandbox.Home, "instance-1-broken");
        await File.WriteAllTextAsync(broken, "", ct);
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "/bin/sh"
            args = ["-c", "if [ \"$PMX_INSTANCE\" = 1 ] && [ -e '{broken}' ]; then exit 3; fi; exec {PmxSandbox.TestWorker} --http"]
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            reuse_port = "per_instance"
            instances = 3
            max_restarts = 1
            """);
        await sandbox.Pmx(ct, "up");
        await Poll.Until(async () => (await sandbox.List(ct)) is var rows
                && rows.Any(r => r is { Instance: 1, Status: "errored" }) && rows.Count(r => r.Status == "online") == 2,
            TimeSpan.FromSeconds(30), "web#1 errored beside online web#0 and web#2", ct);
        // web#1's socket was closed (web#2's took its place in the kernel's group); its new one
        // joins last, so the group's order is now web#0, web#2, web#1.
        File.Delete(broken);
        await sandbox.PmxOk(ct, "restart", "web");
        await using var load = new LoadClient(port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var scale = await sandbox.Pmx(ct, "scale", "web", "2");
        await load.SucceededAfter(load.Succeeded + 50, ct);

        await Assert.That(scale.ExitCode).IsEqualTo(0).Because(scale.Stdout + scale.Stderr);
        await Assert.That(load.Failures).IsEmpty();
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Select(r => (r.Instance, r.Status)).SequenceEqual([(0, "online"), (1, "online")])).IsTrue();
    }
}
