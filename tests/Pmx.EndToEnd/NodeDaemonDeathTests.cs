using static Pmx.EndToEnd.DaemonWorld;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 14 for the seed's user: an express app without a `port` key gets its listening socket on
/// demand from the Node preload. After `kill -9` of the daemon, the adopting daemon must serve the
/// next reload's listen() from that same socket, or the old workers' exit closes a socket with
/// connections still queued on it.
/// </summary>
[NotInParallel("load")]
public class NodeDaemonDeathTests
{
    [Test, Timeout(180_000)]
    public async Task KillingTheDaemonUnderTheSeedsExpressAppThenReloadingFailsNoRequestAndKeepsThePidsUntilTheReload(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        await seed.PmxOk(ct, "start", "ecosystem.config.js");
        var before = (await seed.Online("app", 4, ct)).ToDictionary(r => r.Instance, r => r.Pid);
        await using var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var firstDaemon = DaemonPid(seed.Sandbox);
        System.Diagnostics.Process.GetProcessById(firstDaemon).Kill();
        await Poll.Until(async () =>
        {
            if (DaemonPid(seed.Sandbox) is var d && (d == 0 || d == firstDaemon)) return false;
            var result = await seed.Pmx(ct, "list", "--json");
            if (result.ExitCode != 0) return false;
            var now = (await seed.Sandbox.List(ct)).Where(r => r.Name == "app" && r.Status == "online").ToList();
            return now.Count == 4 && now.All(r => before.GetValueOrDefault(r.Instance) == r.Pid);
        }, TimeSpan.FromSeconds(20), "pmx list to show the same 4 workers online under a new daemon", ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        var reload = await seed.Pmx(ct, "reload", "app");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        var after = await seed.Online("app", 4, ct);
        await Assert.That(after.Select(r => r.Pid).Intersect(before.Values)).IsEmpty();
        // The old workers are gone now: had the new daemon bound a second socket, the old one
        // closed with connections in its queue; load after the reload shows it.
        await load.SucceededAfter(load.Succeeded + 100, ct);
        await Assert.That(load.Failures).IsEmpty();

        await seed.PmxOk(ct, "down");
        await Poll.Until(() => !seed.Sandbox.ProcessesOfThisHome().Any(), TimeSpan.FromSeconds(15), "no process of this PMX_HOME left after 'pmx down'", ct);
    }

    [Test, Timeout(180_000)]
    public async Task UpdatingTheDaemonUnderTheSeedsExpressAppThenReloadingFailsNoRequest(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        await seed.PmxOk(ct, "start", "ecosystem.config.js");
        var before = (await seed.Online("app", 4, ct)).Select(r => r.Pid).ToList();
        var oldDaemon = DaemonPid(seed.Sandbox);
        await using var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var update = await seed.Pmx(ct, "update");
        await Assert.That(update.ExitCode).IsEqualTo(0).Because(update.Stdout + update.Stderr);
        await Assert.That(DaemonPid(seed.Sandbox)).IsNotEqualTo(oldDaemon);
        await Assert.That((await seed.Online("app", 4, ct)).Select(r => r.Pid).Order()).IsEquivalentTo(before.Order());
        await load.SucceededAfter(load.Succeeded + 50, ct);

        var reload = await seed.Pmx(ct, "reload", "app");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        await Assert.That((await seed.Online("app", 4, ct)).Select(r => r.Pid).Intersect(before)).IsEmpty();
        await load.SucceededAfter(load.Succeeded + 100, ct);
        await Assert.That(load.Failures).IsEmpty();
    }

    /// <summary>A Node app that listen()s on a second port only when asked: after the daemon died, that listen() must still be answered.</summary>
    static string LateListener(int secondPort) => $$"""
        const http = require('http');
        http.createServer((req, res) => {
          if (req.url !== '/more') return res.end('hello');
          const extra = http.createServer((q, r) => r.end('more'));
          extra.on('error', e => { res.statusCode = 500; res.end(String(e.code)); });
          extra.listen({{secondPort}}, '127.0.0.1', () => res.end('listening'));
        }).listen(Number(process.env.PORT), '127.0.0.1', () => process.send && process.send('ready'));
        """;

    [Test, Timeout(120_000)]
    public async Task AnAdoptedNodeWorkersListenOnANewPortIsStillAnsweredAfterTheDaemonDied(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        var secondPort = PmxSandbox.FreePort();
        var script = seed.Write("late.js", LateListener(secondPort));
        await seed.PmxOk(ct, "start", script, "--name", "late", "--wait-ready");
        var pid = (await seed.Online("late", 1, ct)).Single().Pid;
        await seed.Answering(seed.Port, ct);

        var firstDaemon = DaemonPid(seed.Sandbox);
        System.Diagnostics.Process.GetProcessById(firstDaemon).Kill();
        await Poll.Until(async () => DaemonPid(seed.Sandbox) is var d && d != 0 && d != firstDaemon
            && (await seed.Sandbox.List(ct)).Any(r => r.Name == "late" && r.Pid == pid && r.Status == "online"),
            TimeSpan.FromSeconds(20), "the same worker online under a new daemon", ct);

        // The preload asks the daemon for the socket over the Node IPC channel: without the channel
        // carried over, nobody answers and the listen() never completes.
        var more = await LoadClient.Get(seed.Port, "/more").WaitAsync(TimeSpan.FromSeconds(20), ct);
        await Assert.That(more).IsEqualTo((200, "listening"));
        await Assert.That(await LoadClient.Get(secondPort).WaitAsync(TimeSpan.FromSeconds(20), ct)).IsEqualTo((200, "more"));
    }
}
