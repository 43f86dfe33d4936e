using System.Text.Json;
using Pmx.Config;
using Pmx.Control;

namespace Pmx.Tests.Control;

public class ControlJsonTests
{
    static AppSpec EveryFieldSet() => new()
    {
        Name = "web",
        Script = "/srv/app/server.js",
        Args = ["--verbose", "two words"],
        Interpreter = "/usr/bin/node",
        InterpreterArgs = ["--max-old-space-size=512"],
        Cwd = "/srv/app",
        Instances = 4,
        ExecMode = ExecMode.Cluster,
        Port = 8080,
        Host = "127.0.0.1",
        ReusePort = ReusePortMode.PerInstance,
        WaitReady = true,
        ListenTimeout = TimeSpan.FromMilliseconds(50_000),
        KillSignal = "SIGTERM",
        KillTimeout = TimeSpan.FromMilliseconds(5_500),
        Autorestart = false,
        MaxRestarts = 3,
        MinUptime = TimeSpan.FromMilliseconds(250),
        RestartDelay = TimeSpan.FromSeconds(2),
        ExpBackoffRestartDelay = TimeSpan.FromMilliseconds(100),
        MaxMemoryRestartBytes = 300L * 1024 * 1024,
        CronRestart = "0 3 * * *",
        Watch = ["/srv/app/src"],
        IgnoreWatch = ["/srv/app/node_modules"],
        InstanceVar = "INSTANCE_ID",
        OutFile = "/var/log/web.out.log",
        ErrorFile = "/var/log/web.err.log",
        MergeLogs = true,
        LogDateFormat = "HH:mm:ss",
        LogMaxSizeBytes = 1024,
        LogRetain = 2,
        Env = new Dictionary<string, string> { ["NODE_ENV"] = "production", ["QUOTE"] = "a \"b\"\nc" },
    };

    [Test]
    public async Task RequestCarryingAnAppSpecSurvivesARoundTrip()
    {
        var request = new ControlRequest
        {
            Command = "up",
            Apps = [EveryFieldSet()],
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/u" },
            ConfigPath = "/srv/app/ecosystem.toml",
            EnvName = "production",
            WorkingDirectory = "/srv/app",
        };

        var json = JsonSerializer.Serialize(request, ControlJsonContext.Default.ControlRequest);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlRequest)!;

        await Assert.That(JsonSerializer.Serialize(back, ControlJsonContext.Default.ControlRequest)).IsEqualTo(json);
        var app = back.Apps![0];
        await Assert.That(app.ExecMode).IsEqualTo(ExecMode.Cluster);
        await Assert.That(app.ReusePort).IsEqualTo(ReusePortMode.PerInstance);
        await Assert.That(app.KillTimeout).IsEqualTo(TimeSpan.FromMilliseconds(5_500));
        await Assert.That(app.Env["QUOTE"]).IsEqualTo("a \"b\"\nc");
        await Assert.That(app.Args).IsEquivalentTo(["--verbose", "two words"], CollectionOrdering.Matching);
        await Assert.That(back.Environment!["HOME"]).IsEqualTo("/home/u");
        await Assert.That(back.ProtocolVersion).IsEqualTo(ControlProtocol.Version);
    }

    [Test]
    public async Task AppSpecFieldsAreSnakeCaseAndEnumsAreTheirTomlWords()
    {
        var json = JsonSerializer.Serialize(new ControlRequest { Command = "up", Apps = [EveryFieldSet()] }, ControlJsonContext.Default.ControlRequest);

        await Assert.That(json).Contains("\"protocol_version\":1");
        await Assert.That(json).Contains("\"exec_mode\":\"cluster\"");
        await Assert.That(json).Contains("\"reuse_port\":\"per_instance\"");
        await Assert.That(json).Contains("\"exp_backoff_restart_delay\":\"00:00:00.1000000\"");
        await Assert.That(json).Contains("\"max_memory_restart_bytes\":314572800");
    }

    [Test]
    public async Task ARequestIsOneLine()
    {
        var json = JsonSerializer.Serialize(new ControlRequest { Command = "up", Apps = [EveryFieldSet()] }, ControlJsonContext.Default.ControlRequest);

        await Assert.That(json).DoesNotContain("\n");
    }

    [Test]
    public async Task ProcessInfoRowHasTheExactPublicBytes()
    {
        IReadOnlyList<ProcessInfo> rows =
        [
            new()
            {
                Name = "web", Instance = 1, Id = 5, Pid = 4242, Status = ProcessStatus.Online, Restarts = 2,
                UptimeMs = 61_000, CpuPercent = 0.5, MemoryBytes = 13_002_342, ExecMode = ExecMode.Cluster, Port = 8080,
                StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), LastExit = "killed by SIGKILL", StatusText = "serving",
            },
            new() { Name = "job", Instance = 0, Status = ProcessStatus.Stopped },
        ];

        var json = JsonSerializer.Serialize(rows, ControlJsonContext.Default.IReadOnlyListProcessInfo);

        await Assert.That(json).IsEqualTo(
            """[{"name":"web","instance":1,"pid":4242,"status":"online","restarts":2,"uptime_ms":61000,"cpu_percent":0.5,"memory_bytes":13002342,"exec_mode":"cluster","port":8080,"started_at":"2025-01-02T03:04:05+00:00","last_exit":"killed by SIGKILL","status_text":"serving","id":5},""" +
            """{"name":"job","instance":0,"pid":0,"status":"stopped","restarts":0,"uptime_ms":0,"cpu_percent":0,"memory_bytes":0,"exec_mode":"fork","port":null,"started_at":null,"last_exit":null,"status_text":null,"id":0}]""");
    }

    [Test]
    [Arguments(nameof(ProcessStatus.Launching), "launching")]
    [Arguments(nameof(ProcessStatus.Online), "online")]
    [Arguments(nameof(ProcessStatus.Stopping), "stopping")]
    [Arguments(nameof(ProcessStatus.Stopped), "stopped")]
    [Arguments(nameof(ProcessStatus.Errored), "errored")]
    public async Task StatusIsWrittenInPm2Words(string statusName, string word)
    {
        var status = Enum.Parse<ProcessStatus>(statusName);
        var json = JsonSerializer.Serialize(new ProcessInfo { Name = "a", Instance = 0, Status = status }, ControlJsonContext.Default.ProcessInfo);

        await Assert.That(json).Contains($"\"status\":\"{word}\"");
    }

    [Test]
    public async Task ProgressEventLeavesOutAbsentFields()
    {
        var json = JsonSerializer.Serialize(ControlEvent.Progress("web#0: ready"), ControlJsonContext.Default.ControlEvent);

        await Assert.That(json).IsEqualTo("""{"type":"progress","message":"web#0: ready"}""");
    }

    [Test]
    public async Task AnEnumWrittenAsANumberIsRefused()
    {
        var parse = () => JsonSerializer.Deserialize("""{"name":"a","instance":0,"status":1}""", ControlJsonContext.Default.ProcessInfo);

        await Assert.That(parse).Throws<JsonException>();
    }

    [Test]
    public async Task AppDetailsSurviveARoundTrip()
    {
        var details = new AppDetails
        {
            Spec = EveryFieldSet(),
            ConfigPath = "/srv/app/ecosystem.toml",
            Instances =
            [
                new InstanceDetails
                {
                    Process = new ProcessInfo { Name = "web", Instance = 0, Pid = 7, Status = ProcessStatus.Launching },
                    Readiness = ReadinessState.Waiting,
                    OutLogPath = "/l/o", ErrorLogPath = "/l/e",
                    RecentExits = [new ExitRecord(DateTimeOffset.UnixEpoch, "exited 3", TimeSpan.FromMilliseconds(120))],
                },
            ],
        };

        var json = JsonSerializer.Serialize(details, ControlJsonContext.Default.AppDetails);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.AppDetails)!;

        await Assert.That(JsonSerializer.Serialize(back, ControlJsonContext.Default.AppDetails)).IsEqualTo(json);
        await Assert.That(json).Contains("\"readiness\":\"waiting\"");
        await Assert.That(back.Instances[0].RecentExits[0].Reason).IsEqualTo("exited 3");
    }
}
