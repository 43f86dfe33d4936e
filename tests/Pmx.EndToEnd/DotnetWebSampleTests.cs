namespace Pmx.EndToEnd;

/// <summary>
/// samples/dotnet-web, a stock ASP.NET Core app with no pmx code, under pmx in cluster mode:
/// Kestrel's UseSystemd takes the shared socket as fd 3, Hosting.Systemd 11 sends READY=1, and its
/// drain (Connection: close for DRAIN_MS, then Kestrel's own stop) makes reloads lose no request.
/// </summary>
[NotInParallel("load")]
public class DotnetWebSampleTests
{
    static string Sample => Path.Combine(PmxBinary.RepoRoot, "artifacts/samples/dotnet-web/dotnet-web");

    static async Task<(PmxSandbox Sandbox, int Port)> StartSample(CancellationToken ct)
    {
        if (!File.Exists(Sample))
            throw new InvalidOperationException($"{Sample} is missing: run ./build.sh first (it publishes the samples)");
        var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "{Sample}"
            interpreter = "none"
            instances = 2
            exec_mode = "cluster"
            port = {port}
            host = "127.0.0.1"
            wait_ready = true
            listen_timeout = 15000
            kill_signal = "SIGTERM"
            kill_timeout = 5000
            """);
        try
        {
            var up = await sandbox.Pmx(ct, "up");
            await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stdout + up.Stderr);
            return (sandbox, port);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    [Test, Timeout(120_000)]
    public async Task TheSampleComesUpOnlineOnTheSharedSocketAndAnswers(CancellationToken ct)
    {
        var (sandbox, port) = await StartSample(ct);
        await using var _ = sandbox;
        var rows = await sandbox.List(ct);
        await Assert.That(rows.Count).IsEqualTo(2);
        // online with wait_ready means READY=1 arrived over NOTIFY_SOCKET.
        await Assert.That(rows.All(r => r.Status == "online")).IsTrue();

        // The sample never binds a port itself under pmx, so an answer here proves fd 3 worked.
        var (status, body) = await LoadClient.Get(port);
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(body).StartsWith("hello from dotnet-web pid=");
        var pids = rows.Select(r => r.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assert.That(pids.Any(pid => body.Contains($"pid={pid} "))).IsTrue().Because(body);
        await Assert.That(await LoadClient.Get(port, "/health")).IsEqualTo((200, "ok"));
    }

    [Test, Timeout(120_000)]
    [Arguments(true)]
    [Arguments(false)]
    public async Task AReloadUnderLoadFailsNoRequest(bool keepAlive, CancellationToken ct)
    {
        var (sandbox, port) = await StartSample(ct);
        await using var _ = sandbox;
        var before = (await sandbox.List(ct)).Select(r => r.Pid).ToList();
        await using var load = new LoadClient(port, concurrency: 4, keepAlive);
        await load.SucceededAfter(50, ct);
        // In flight across the reload: the drain must let it finish.
        var slow = LoadClient.Get(port, "/slow?ms=1500");

        var reload = await sandbox.Pmx(ct, "reload", "web");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);

        await load.SucceededAfter(load.Succeeded + 50, ct);
        await Assert.That(load.Failures).IsEmpty();
        await Assert.That((await slow).Status).IsEqualTo(200);
        var after = await sandbox.List(ct);
        await Assert.That(after.All(r => r.Status == "online")).IsTrue();
        await Assert.That(after.Select(r => r.Pid).Intersect(before)).IsEmpty();
    }
}
