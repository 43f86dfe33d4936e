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
}
