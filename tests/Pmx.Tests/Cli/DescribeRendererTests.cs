using Pmx.Cli;
using Pmx.Config;
using Pmx.Control;

namespace Pmx.Tests.Cli;

public class DescribeRendererTests
{
    static AppDetails Web() => new()
    {
        Spec = new AppSpec
        {
            Name = "web", Script = "/srv/app/server.js", Args = ["--port-from-env", "two words"], Interpreter = "/usr/bin/node",
            Cwd = "/srv/app", Instances = 2, ExecMode = ExecMode.Cluster, Port = 8080, WaitReady = true,
            ListenTimeout = TimeSpan.FromSeconds(50), KillSignal = "SIGTERM", KillTimeout = TimeSpan.FromMilliseconds(5_500),
            MinUptime = TimeSpan.FromSeconds(1), ExpBackoffRestartDelay = TimeSpan.FromMilliseconds(100),
            Env = new Dictionary<string, string> { ["PORT_NAME"] = "http", ["NODE_ENV"] = "production" },
        },
        ConfigPath = "/srv/app/ecosystem.toml",
        EnvName = "production",
        Instances =
        [
            new InstanceDetails
            {
                Process = new ProcessInfo
                {
                    Name = "web", Instance = 0, Pid = 4242, Status = ProcessStatus.Online, Restarts = 1, UptimeMs = 300_000,
                    CpuPercent = 1.5, MemoryBytes = 50 * 1024 * 1024, LastExit = "killed by SIGKILL", StatusText = "serving 12 connections",
                },
                Readiness = ReadinessState.Ready,
                OutLogPath = "/home/u/.pmx/logs/web-0-out.log",
                ErrorLogPath = "/home/u/.pmx/logs/web-0-err.log",
                RecentExits = [new ExitRecord(DateTimeOffset.UnixEpoch, "killed by SIGKILL", TimeSpan.FromMinutes(3))],
            },
            new InstanceDetails
            {
                Process = new ProcessInfo { Name = "web", Instance = 1, Status = ProcessStatus.Errored, Restarts = 15, LastExit = "exited 3" },
                Readiness = ReadinessState.NotRunning,
                OutLogPath = "/home/u/.pmx/logs/web-1-out.log",
                ErrorLogPath = "/home/u/.pmx/logs/web-1-err.log",
            },
        ],
    };

    [Test]
    public async Task TheConfigurationIsSummarisedFirst()
    {
        var text = DescribeRenderer.Render(Web(), colour: false);

        await Assert.That(text).StartsWith(
            "web  (cluster mode, 2 instances)\n" +
            "  script        /srv/app/server.js --port-from-env \"two words\"\n" +
            "  interpreter   /usr/bin/node\n" +
            "  cwd           /srv/app\n" +
            "  config        /srv/app/ecosystem.toml (--env production)\n" +
            "  listen        0.0.0.0:8080, shared socket\n" +
            "  readiness     wait_ready, listen_timeout 50s\n" +
            "  stop          SIGTERM, SIGKILL after 5.5s\n" +
            "  restart       on exit, backoff from 100ms; errored after 15 unstable exits in a row (sooner than 1s)\n" +
            "  env           NODE_ENV=production\n" +
            "                PORT_NAME=http\n");
    }

    [Test]
    public async Task EachInstanceShowsItsProcessReadinessExitsAndLogs()
    {
        var text = DescribeRenderer.Render(Web(), colour: false);
        var running = text[text.IndexOf("web#0", StringComparison.Ordinal)..text.IndexOf("web#1", StringComparison.Ordinal)];

        await Assert.That(running).StartsWith(
            "web#0  online\n" +
            "  pid           4242\n" +
            "  uptime        5m\n" +
            "  cpu, memory   1.5%, 50.0 MB\n" +
            "  readiness     ready\n" +
            "  restarts      1\n" +
            "  status text   serving 12 connections\n" +
            "  last exit     killed by SIGKILL\n" +
            "  recent exits  ");
        await Assert.That(running).Contains("  killed by SIGKILL after 3m\n");
        await Assert.That(running).EndsWith(
            "  logs          /home/u/.pmx/logs/web-0-out.log (stdout)\n" +
            "                /home/u/.pmx/logs/web-0-err.log (stderr)\n\n");
    }

    [Test]
    public async Task AnInstanceWithoutAProcessSaysSoInsteadOfShowingZeroes()
    {
        var text = DescribeRenderer.Render(Web(), colour: false);

        await Assert.That(text).EndsWith(
            "web#1  errored\n" +
            "  pid           - (not running)\n" +
            "  readiness     not running\n" +
            "  restarts      15\n" +
            "  last exit     exited 3\n" +
            "  logs          /home/u/.pmx/logs/web-1-out.log (stdout)\n" +
            "                /home/u/.pmx/logs/web-1-err.log (stderr)\n");
    }

    [Test]
    public async Task StatusIsColouredOnlyWhenAsked()
    {
        await Assert.That(DescribeRenderer.Render(Web(), colour: false)).DoesNotContain("\e");
        await Assert.That(DescribeRenderer.Render(Web(), colour: true)).Contains("web#1  \e[31merrored\e[0m\n");
    }

    [Test]
    [Arguments(0L, "0")]
    [Arguments(250L, "250ms")]
    [Arguments(1_000L, "1s")]
    [Arguments(5_500L, "5.5s")]
    [Arguments(120_000L, "2m")]
    [Arguments(90_000L, "90s")]
    public async Task ConfiguredDurationsReadExactly(long milliseconds, string expected)
    {
        await Assert.That(DescribeRenderer.FormatDuration(TimeSpan.FromMilliseconds(milliseconds))).IsEqualTo(expected);
    }
}
