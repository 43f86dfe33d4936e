using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Pmx.EndToEnd;

namespace Pmx.Windows;

/// <summary>
/// Issue 13's must-show 2 under Wine: the seed's express app and ecosystem.config.js, unchanged,
/// with Windows' node.exe (PMX_WINDOWS_NODE, fetched by ./build.sh test) on the Windows PATH.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel("load")]
public sealed class SeedAppTests(WinePrefix prefix)
{
    const string NodeVariable = "PMX_WINDOWS_NODE";
    static readonly TimeSpan OnlineDeadline = TimeSpan.FromSeconds(120);

    [Test, Timeout(600_000)]
    public async Task TheSeedAppStartsReloadsUnderLoadWithoutAFailedRequestScalesAndGoesDown(CancellationToken ct)
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
        var node = Environment.GetEnvironmentVariable(NodeVariable);
        if (node is null || !File.Exists(node)) Skip.Test($"{NodeVariable} does not name node.exe: run the lane through ./build.sh test");
        await using var home = new WineHome(prefix);
        var app = CopySeedSample(home.Path);
        var port = WinePmx.FreePort();
        // node.exe first on the Windows PATH; PORT as the seed's README says.
        var env = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WINEPATH"] = WinePmx.WindowsPath(Path.GetDirectoryName(node)!),
        };
        Task<RunResult> Pmx(params string[] args) => WinePmx.Run(prefix, home.Path, args, ct, cwd: app, env: env);

        var start = await Pmx("start", "ecosystem.config.js");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stderr + home.DaemonLog);
        await Poll.Until(async () => await WinePmx.OnlineCount(Pmx) == 4, OnlineDeadline, "4 workers online", ct);

        await using (var load = new LoadClient(port, concurrency: 4, keepAlive: true))
        {
            await load.SucceededAfter(20, ct);
            var reload = await Pmx("reload", "app");
            var before = load.Succeeded;
            await load.SucceededAfter(before + 20, ct);
            await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stderr + home.DaemonLog);
            await Assert.That(load.Failures).IsEmpty();
        }

        var scale = await Pmx("scale", "app", "2");
        await Assert.That(scale.ExitCode).IsEqualTo(0).Because(scale.Stderr);
        await Poll.Until(async () => await WinePmx.OnlineCount(Pmx) == 2, OnlineDeadline, "2 workers online", ct);

        var down = await Pmx("down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr);
        await Poll.Until(() => prefix.Processes("node.exe").Count == 0, OnlineDeadline, "no node.exe left", ct);
    }

    /// <summary>app.js, ecosystem.config.js and package.json as the seed has them; node_modules (pure JS) linked.</summary>
    static string CopySeedSample(string home)
    {
        var source = Path.Combine(WinePmx.RepoRoot, "samples", "node-express");
        var folder = Directory.CreateDirectory(Path.Combine(home, "app")).FullName;
        foreach (var file in (string[])["app.js", "ecosystem.config.js", "package.json"])
            File.Copy(Path.Combine(source, file), Path.Combine(folder, file));
        Directory.CreateSymbolicLink(Path.Combine(folder, "node_modules"), Path.Combine(source, "node_modules"));
        return folder;
    }
}
