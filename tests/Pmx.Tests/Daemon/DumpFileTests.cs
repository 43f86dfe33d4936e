using System.Text.Json;
using Pmx.Config;
using Pmx.Control;
using Pmx.Daemon;

namespace Pmx.Tests.Daemon;

/// <summary>`pmx save` writes what `pmx resurrect` reads back: the same apps, key for key.</summary>
public class DumpFileTests
{
    /// <summary>Every key set away from its default, with values that stress the writer.</summary>
    static readonly AppSpec Everything = new()
    {
        Name = "web.api_2",
        Script = "/opt/app/server \"v2\".js",
        Args = ["--greeting", "line one\nline two", "tab\there", "quote \" and \\ backslash", "\u001b[31mred\u001b[0m", ""],
        Interpreter = "node",
        InterpreterArgs = ["--max-old-space-size=512"],
        Cwd = "/opt/app",
        Instances = 3,
        ExecMode = ExecMode.Cluster,
        Port = 8081,
        Host = "127.0.0.1",
        ReusePort = ReusePortMode.PerInstance,
        WaitReady = true,
        ListenTimeout = TimeSpan.FromMinutes(2),
        KillSignal = "SIGTERM",
        KillTimeout = TimeSpan.FromMilliseconds(2500),
        Autorestart = false,
        MaxRestarts = 7,
        MinUptime = TimeSpan.FromSeconds(3),
        RestartDelay = TimeSpan.FromHours(1200),
        ExpBackoffRestartDelay = TimeSpan.FromMilliseconds(150),
        MaxMemoryRestartBytes = 300L * 1024 * 1024,
        CronRestart = "0 0 1 6 *",
        Watch = ["/opt/app/src", "/opt/app/views"],
        IgnoreWatch = ["node_modules", "*.log"],
        InstanceVar = "INSTANCE_ID",
        OutFile = "/var/log/web/out.log",
        ErrorFile = "/var/log/web/err.log",
        MergeLogs = true,
        LogDateFormat = "HH:mm:ss",
        LogMaxSizeBytes = 5L * 1024 * 1024 * 1024,
        LogRetain = 9,
        // Sorted: the dump writes the environment in ordinal order.
        Env = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["NODE_ENV"] = "production", ["MOTD"] = "hi\n\"there\"\u0007" },
    };

    static string Json(AppSpec spec) =>
        JsonSerializer.Serialize(new ControlRequest { Command = "compare", Apps = [spec] }, ControlJsonContext.Default.ControlRequest);

    static AppSpec ReadBack(string dump)
    {
        var loaded = ConfigLoader.Parse(dump, "dump.toml", "/", null);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("\n", loaded.Errors) + "\n" + dump);
        return loaded.Apps.Single();
    }

    [Test]
    public async Task EveryKeyWithANonDefaultValueRoundTrips()
    {
        var dump = DumpFile.Render([new DumpedApp(Everything, 3, new Dictionary<string, string>())], DateTimeOffset.UnixEpoch);
        await Assert.That(Json(ReadBack(dump))).IsEqualTo(Json(Everything));
    }

    [Test]
    public async Task DurationsBeyondInt32MillisecondsAreWrittenWithAUnit()
    {
        var dump = DumpFile.Render([new DumpedApp(Everything, 3, new Dictionary<string, string>())], DateTimeOffset.UnixEpoch);
        await Assert.That(dump).Contains("\nrestart_delay = \"1200h\"\n");
        await Assert.That(ReadBack(dump).RestartDelay).IsEqualTo(TimeSpan.FromHours(1200));
    }

    [Test]
    public async Task TheCurrentInstanceCountAndTheStartingEnvironmentAreSaved()
    {
        var dump = DumpFile.Render([new DumpedApp(Everything, 5, new Dictionary<string, string> { ["PATH"] = "/bin", ["NODE_ENV"] = "dev" })],
            DateTimeOffset.UnixEpoch);
        var app = ReadBack(dump);
        await Assert.That(app.Instances).IsEqualTo(5);
        await Assert.That(app.Env["PATH"]).IsEqualTo("/bin");
        await Assert.That(app.Env["NODE_ENV"]).IsEqualTo("production");
    }

    [Test]
    public async Task AnAppScaledToZeroIsLeftOut()
    {
        var dump = DumpFile.Render([new DumpedApp(Everything, 0, new Dictionary<string, string>())], DateTimeOffset.UnixEpoch);
        await Assert.That(dump).DoesNotContain("[[apps]]");
    }
}
