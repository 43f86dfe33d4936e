using System.Text.RegularExpressions;

namespace Pmx.Windows;

/// <summary>
/// pmx.exe under Wine: the CLI, the control pipe and the detached daemon (issue 13). The tests of
/// a class share one prefix and run one at a time: `pmx.exe kill` is checked by the absence of
/// every pmx.exe process of that prefix.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(WindowsDaemonTests))]
public sealed class WindowsDaemonTests(WinePrefix prefix)
{
    static readonly TimeSpan ProcessExitDeadline = TimeSpan.FromSeconds(30);

    [Before(Test)]
    public void NeedsWine()
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
    }

    [Test, Timeout(180_000)]
    public async Task PmxExeRunsUnderWineAndPrintsTheVersion(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);

        var run = await home.Pmx(ct, "--version");

        await Assert.That(run.ExitCode).IsEqualTo(0);
        await Assert.That(run.Stdout.Trim()).IsEqualTo(ProjectVersion());
    }

    [Test, Timeout(240_000)]
    public async Task PingStartsTheDaemonAndListReachesItOverTheControlPipe(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);

        var ping = await home.Pmx(ct, "ping");
        var list = await home.Pmx(ct, "list");
        var json = await home.Pmx(ct, "list", "--json");

        await Assert.That(ping.ExitCode).IsEqualTo(0).Because(ping.Stderr + home.DaemonLog);
        await Assert.That(ping.Stdout).Contains("pong");
        await Assert.That(home.DaemonLog).Contains("serving");
        await Assert.That(list.ExitCode).IsEqualTo(0).Because(list.Stderr);
        await Assert.That(list.Stdout).Contains("No apps yet");
        await Assert.That(json.ExitCode).IsEqualTo(0).Because(json.Stderr);
        await Assert.That(json.Stdout.Trim()).IsEqualTo("[]");
    }

    [Test, Timeout(240_000)]
    public async Task KillStopsTheDaemonAndNoPmxProcessIsLeft(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var ping = await home.Pmx(ct, "ping");
        await Assert.That(ping.ExitCode).IsEqualTo(0).Because(ping.Stderr + home.DaemonLog);
        await Assert.That(prefix.Processes("pmx.exe")).IsNotEmpty();

        var kill = await home.Pmx(ct, "kill");

        await Assert.That(kill.ExitCode).IsEqualTo(0).Because($"stdout: {kill.Stdout}\nstderr: {kill.Stderr}\n{home.DaemonLog}");
        await Assert.That(kill.Stdout).Contains("daemon killed");
        await Poll.Until(() => prefix.Processes("pmx.exe").Count == 0, ProcessExitDeadline, "every pmx.exe of the prefix to exit", ct);
        await Assert.That(home.DaemonLog).Contains("daemon exiting with code 0");
        var again = await home.Pmx(ct, "kill");
        await Assert.That(again.Stdout).Contains("no daemon is running");
    }

    [Test, Timeout(180_000)]
    public async Task AMalformedEcosystemTomlExitsWithTwoAndNamesTheLine(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        File.WriteAllText(Path.Combine(home.Path, "ecosystem.toml"), "[[apps]]\nname = \"web\"\nscript = \"server.js\"\ninstances = \"many\"\n");

        var up = await home.Pmx(ct, "up", "-c", "ecosystem.toml");

        await Assert.That(up.ExitCode).IsEqualTo(2).Because(up.Stdout + up.Stderr);
        await Assert.That(up.Stderr).Contains("ecosystem.toml");
        await Assert.That(up.Stderr).Contains("instances");
        await Assert.That(prefix.Processes("pmx.exe")).IsEmpty();
    }

    [Test, Timeout(240_000)]
    public async Task ASecondDaemonForTheSamePmxHomeStepsAsideWhileTheFirstServes(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var ping = await home.Pmx(ct, "ping");
        await Assert.That(ping.ExitCode).IsEqualTo(0).Because(ping.Stderr + home.DaemonLog);

        var second = await home.Pmx(ct, "daemon");

        await Assert.That(second.ExitCode).IsEqualTo(0);
        await Assert.That(home.DaemonLog).Contains("already running");
        var list = await home.Pmx(ct, "list", "--json");
        await Assert.That(list.Stdout.Trim()).IsEqualTo("[]").Because(list.Stderr);
    }

    static string ProjectVersion()
    {
        var props = File.ReadAllText(Path.Combine(WinePmx.RepoRoot, "Directory.Build.props"));
        return Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
    }
}
