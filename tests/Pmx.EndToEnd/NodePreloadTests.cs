namespace Pmx.EndToEnd;

/// <summary>
/// The Node preload's edges (DESIGN §11), with a dependency-free http app: which listens go to the
/// socket pmx owns, which pass through, and how a bind failure reaches the app.
/// </summary>
public class NodePreloadTests
{
    const string App = """
        const http = require('http');
        const fs = require('fs');
        const handler = (req, res) => res.end('hello world');
        const results = {};
        const done = () => { if (Object.keys(results).length === 3) { console.log('RESULT ' + JSON.stringify(results)); process.send('ready'); } };
        const shared = http.createServer(handler).listen(Number(process.env.PORT), () => { results.shared = shared.address().port; done(); });
        const own = http.createServer(handler).listen(0, '127.0.0.1', () => { results.own = own.address().port; done(); });
        const path = process.env.SOCK_PATH + '.' + process.env.NODE_APP_INSTANCE;
        const unix = http.createServer(handler).listen(path, () => { results.unix = fs.existsSync(path); done(); });
        process.on('SIGINT', () => process.exit(0));
        """;

    [Test, Timeout(60_000)]
    public async Task ATcpPortGoesToTheSocketPmxOwnsWhilePortZeroAndUnixPathsPassThrough(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        File.WriteAllText(Path.Combine(sandbox.WorkDir, "edges.js"), App);
        var port = PmxSandbox.FreePort();
        var socketPath = Path.Combine(sandbox.WorkDir, "app.sock");
        sandbox.WriteConfig($$"""
            [[apps]]
            name = "edges"
            script = "edges.js"
            instances = 2
            exec_mode = "cluster"
            wait_ready = true
            env = { PORT = "{{port}}", SOCK_PATH = "{{socketPath}}" }
            """);
        var up = await sandbox.Pmx(ct, "up");
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stdout + up.Stderr);

        var daemon = int.Parse(File.ReadAllText(Path.Combine(sandbox.Home, "daemon.pid")).Trim());
        await Assert.That(ListeningSockets.IsHeldBy(daemon, port)).IsTrue().Because("pmx binds the app's port on its first listen() and keeps it");
        var logPath = Path.Combine(sandbox.Home, "logs", "edges-0-out.log");
        // 'ready' travels on the IPC channel, the printed line on stdout: the line may land later.
        await Poll.Until(() => File.Exists(logPath) && File.ReadAllText(logPath).Contains("\"unix\""), TimeSpan.FromSeconds(10), "the app's line in edges-0-out.log", ct);
        var log = File.ReadAllText(logPath);
        var ownPort = int.Parse(System.Text.RegularExpressions.Regex.Match(log, "\"own\":(\\d+)").Groups[1].Value);
        await Assert.That(ownPort).IsNotEqualTo(0);
        await Assert.That(ListeningSockets.IsHeldBy(daemon, ownPort)).IsFalse().Because("port 0 is the app's own business");
        await Assert.That(log).Contains("\"unix\":true");
        await Assert.That(await LoadClient.Get(port)).IsEqualTo((200, "hello world"));
    }

    [Test, Timeout(60_000)]
    public async Task APortSomeoneElseHoldsReachesTheAppAsAnEaddrinuseErrorEvent(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        using var squatter = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        squatter.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndPoint!).Port;
        File.WriteAllText(Path.Combine(sandbox.WorkDir, "taken.js"), $$"""
            const server = require('http').createServer(() => {});
            server.on('error', (e) => { console.log('ERROR ' + e.code + ' ' + e.port); setInterval(() => {}, 1000); });
            server.listen({{port}}, '127.0.0.1');
            """);
        sandbox.WriteConfig("""
            [[apps]]
            name = "taken"
            script = "taken.js"
            """);
        await sandbox.PmxOk(ct, "up");
        var outLog = Path.Combine(sandbox.Home, "logs", "taken-0-out.log");
        await Poll.Until(() => File.Exists(outLog) && File.ReadAllText(outLog).Contains("ERROR"), TimeSpan.FromSeconds(20), "the app's error event", ct);
        await Assert.That(File.ReadAllText(outLog)).Contains($"ERROR EADDRINUSE {port}");
    }
}
