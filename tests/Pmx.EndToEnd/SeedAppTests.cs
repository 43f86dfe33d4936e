namespace Pmx.EndToEnd;

/// <summary>
/// The seed's user (DESIGN §11): an unchanged express app.js that calls app.listen(port), the
/// seed's ecosystem.config.js (cluster, 4 instances, wait_ready, no port key), and PM2's commands.
/// The Node preload serves each listen(port) from the one socket pmx owns for the app.
/// </summary>
[NotInParallel("load")]
public class SeedAppTests
{
    [Test, Timeout(120_000)]
    public async Task TheSeedsConfigStartsFourOnlineWorkersEachHoldingTheAppsListeningSocket(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        var start = await seed.Pmx(ct, "start", "ecosystem.config.js");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stdout + start.Stderr);

        var rows = await seed.Online("app", 4, ct);
        foreach (var row in rows)
            await Assert.That(ListeningSockets.IsHeldBy(row.Pid, seed.Port)).IsTrue().Because($"pid {row.Pid} should hold the socket for port {seed.Port}");
        await Assert.That(await LoadClient.Get(seed.Port)).IsEqualTo((200, "hello world"));
        // A worker that lost a bind race (EADDRINUSE) would crash and restart; none may.
        await using (var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false))
            await load.SucceededAfter(100, ct);
        await Assert.That((await seed.Sandbox.List(ct)).Sum(r => r.Restarts)).IsEqualTo(0);
    }

    [Test, Timeout(180_000)]
    public async Task BareReloadAndReloadAllUnderLoadFailNoRequest(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        await seed.PmxOk(ct, "start", "ecosystem.config.js");
        var before = (await seed.Online("app", 4, ct)).Select(r => r.Pid).ToList();
        await using var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var bare = await seed.Pmx(ct, "reload");
        await Assert.That(bare.ExitCode).IsEqualTo(0).Because(bare.Stdout + bare.Stderr);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        var all = await seed.Pmx(ct, "reload", "all");
        await Assert.That(all.ExitCode).IsEqualTo(0).Because(all.Stdout + all.Stderr);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        await Assert.That(load.Failures).IsEmpty();
        var after = await seed.Online("app", 4, ct);
        await Assert.That(after.Select(r => r.Pid).Intersect(before)).IsEmpty();
    }

    [Test, Timeout(180_000)]
    public async Task ScalingUpByFiveThenBackToFourUnderLoadFailsNoRequest(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        await seed.PmxOk(ct, "start", "ecosystem.config.js");
        await seed.Online("app", 4, ct);
        await using var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        await seed.PmxOk(ct, "scale", "app", "+5");
        await seed.Online("app", 9, ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);
        await seed.PmxOk(ct, "scale", "app", "4");
        await seed.Online("app", 4, ct);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        await Assert.That(load.Failures).IsEmpty();
    }

    [Test, Timeout(120_000)]
    public async Task AForkModeAppReloadsUnderLoadWithoutAFailedRequest(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        var solo = seed.CopyApp("solo.js");
        var start = await seed.Pmx(ct, "start", solo, "--name", "solo");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stdout + start.Stderr);
        var before = (await seed.Online("solo", 1, ct)).Single().Pid;
        await seed.Answering(seed.Port, ct);
        await using var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false);
        await load.SucceededAfter(50, ct);

        var reload = await seed.Pmx(ct, "reload", "solo");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        await load.SucceededAfter(load.Succeeded + 50, ct);

        await Assert.That(load.Failures).IsEmpty();
        var after = (await seed.Online("solo", 1, ct)).Single().Pid;
        await Assert.That(after).IsNotEqualTo(before);
        await Assert.That(await LoadClient.Get(seed.Port)).IsEqualTo((200, "hello world"));
    }

    [Test, Timeout(120_000)]
    public async Task DashIFourOnANodeScriptStartsFourOnlineClusterWorkersWithoutAConfig(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        var trio = seed.CopyApp("trio.js");
        var start = await seed.Pmx(ct, "start", trio, "-i", "4", "--name", "trio");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stdout + start.Stderr);
        await seed.Online("trio", 4, ct);
        await seed.Answering(seed.Port, ct);
        await using (var load = new LoadClient(seed.Port, concurrency: 4, keepAlive: false))
            await load.SucceededAfter(100, ct);
        await Assert.That((await seed.Sandbox.List(ct)).Sum(r => r.Restarts)).IsEqualTo(0);
    }

    [Test, Timeout(60_000)]
    public async Task TheSeedsInstanceTypoIsRejectedWithASuggestionAndNothingStarts(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        var config = File.ReadAllText(Path.Combine(seed.Folder, "ecosystem.config.js")).Replace("instances: 4", "instance: 0");
        seed.Write("ecosystem.config.js", config);
        var start = await seed.Pmx(ct, "start", "ecosystem.config.js");
        await Assert.That(start.ExitCode).IsEqualTo(2);
        await Assert.That(start.Stderr).Contains("'instance'");
        await Assert.That(start.Stderr).Contains("did you mean 'instances'?");
        await Assert.That(start.Stderr).Contains("ecosystem.config.js");
        await Assert.That(File.Exists(Path.Combine(seed.Sandbox.Home, "daemon.pid"))).IsFalse();
    }

    [Test, Timeout(90_000)]
    public async Task Pm2OnlyKeysStartTheAppWithOneWarningNamingThem(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        seed.Write("ecosystem.config.js", """
            module.exports = { apps: [{ name: 'app', script: './app.js', vizion: false, automation: false, post_update: ['npm install'] }] };
            """);
        var start = await seed.Pmx(ct, "start", "ecosystem.config.js");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stdout + start.Stderr);
        var warnings = start.Stderr.Split('\n').Where(l => l.Contains("vizion")).ToList();
        await Assert.That(warnings.Count).IsEqualTo(1);
        await Assert.That(warnings[0]).Contains("vizion, automation, post_update");
        await seed.Online("app", 1, ct);
    }

    [Test, Timeout(90_000)]
    public async Task AnEcosystemJsonAndAProcessYmlStartTheirApps(CancellationToken ct)
    {
        await using var seed = SeedSample.Create();
        seed.Write("ecosystem.json", """{ "apps": [{ "name": "fromjson", "script": "./app.js", "instances": 2, "exec_mode": "cluster", "wait_ready": true }] }""");
        seed.Write("process.yml", """
            apps:
              - name: fromyaml
                script: ./app.js
                wait_ready: true
            """);
        var json = await seed.Pmx(ct, "start", "ecosystem.json");
        await Assert.That(json.ExitCode).IsEqualTo(0).Because(json.Stdout + json.Stderr);
        var yamlPort = PmxSandbox.FreePort();
        var yaml = await seed.Pmx(yamlPort, ct, "start", "process.yml");
        await Assert.That(yaml.ExitCode).IsEqualTo(0).Because(yaml.Stdout + yaml.Stderr);
        await seed.Online("fromjson", 2, ct);
        await seed.Online("fromyaml", 1, ct);
        await Assert.That(await LoadClient.Get(seed.Port)).IsEqualTo((200, "hello world"));
        await Assert.That(await LoadClient.Get(yamlPort)).IsEqualTo((200, "hello world"));
    }
}
