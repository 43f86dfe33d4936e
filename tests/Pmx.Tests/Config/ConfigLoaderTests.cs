using System.Text;
using Pmx.Config;

namespace Pmx.Tests.Config;

public class ConfigLoaderTests
{
    static string Site => Path.Combine(ConfigFixture.Folder, "site");

    [Test]
    public async Task FullExampleMapsEveryKey()
    {
        var result = ConfigFixture.Load("full.toml", env: "production");
        await Assert.That(result.ErrorText()).IsEqualTo("");
        var web = result.App("web");
        await Assert.That(web.Script).IsEqualTo(Path.Combine(Site, "server.js"));
        await Assert.That(string.Join(" ", web.Args)).IsEqualTo("--verbose --port=8080");
        await Assert.That(web.Interpreter).IsEqualTo("node");
        await Assert.That(string.Join(" ", web.InterpreterArgs)).IsEqualTo("--max-old-space-size=512");
        await Assert.That(web.Cwd).IsEqualTo(Site);
        await Assert.That(web.Instances).IsEqualTo(4);
        await Assert.That(web.ExecMode).IsEqualTo(ExecMode.Cluster);
        await Assert.That(web.Port).IsEqualTo(8080);
        await Assert.That(web.Host).IsEqualTo("127.0.0.1");
        await Assert.That(web.ReusePort).IsEqualTo(ReusePortMode.PerInstance);
        await Assert.That(web.WaitReady).IsTrue();
        await Assert.That(web.ListenTimeout).IsEqualTo(TimeSpan.FromSeconds(50));
        await Assert.That(web.KillSignal).IsEqualTo("SIGINT");
        await Assert.That(web.KillTimeout).IsEqualTo(TimeSpan.FromSeconds(5));
        await Assert.That(web.Autorestart).IsFalse();
        await Assert.That(web.MaxRestarts).IsEqualTo(3);
        await Assert.That(web.MinUptime).IsEqualTo(TimeSpan.FromSeconds(2));
        await Assert.That(web.RestartDelay).IsEqualTo(TimeSpan.FromMilliseconds(250));
        await Assert.That(web.ExpBackoffRestartDelay).IsEqualTo(TimeSpan.FromMilliseconds(100));
        await Assert.That(web.MaxMemoryRestartBytes).IsEqualTo(300L * 1024 * 1024);
        await Assert.That(web.CronRestart).IsEqualTo("0 3 * * *");
        await Assert.That(string.Join("|", web.Watch)).IsEqualTo(Path.Combine(Site, "public") + "|" + Site);
        await Assert.That(string.Join("|", web.IgnoreWatch)).IsEqualTo("node_modules");
        await Assert.That(web.InstanceVar).IsEqualTo("INSTANCE_ID");
        await Assert.That(web.OutFile).IsEqualTo(Path.Combine(Site, "logs", "web.out.log"));
        await Assert.That(web.ErrorFile).IsEqualTo("/var/log/web.err.log");
        await Assert.That(web.MergeLogs).IsTrue();
        await Assert.That(web.LogDateFormat).IsEqualTo("HH:mm:ss");
        await Assert.That(web.LogMaxSizeBytes).IsEqualTo(10L * 1024 * 1024);
        await Assert.That(web.LogRetain).IsEqualTo(7);
        await Assert.That(web.Env["NODE_ENV"]).IsEqualTo("production");
        await Assert.That(web.Env["PORT"]).IsEqualTo("3000");
        await Assert.That(web.Env["DEBUG"]).IsEqualTo("true");
    }

    [Test]
    public async Task MinimalAppGetsTheDocumentedDefaults()
    {
        var result = ConfigFixture.Load("minimal.toml");
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
        var web = result.App("web");
        var expected = new AppSpec { Name = "web", Script = Path.Combine(Site, "server.js"), Cwd = ConfigFixture.Folder, Interpreter = "node" };
        await Assert.That(web with { Args = expected.Args, InterpreterArgs = expected.InterpreterArgs, Watch = expected.Watch, IgnoreWatch = expected.IgnoreWatch, Env = expected.Env })
            .IsEqualTo(expected);
        await Assert.That(web.Args.Count + web.InterpreterArgs.Count + web.Watch.Count + web.IgnoreWatch.Count + web.Env.Count).IsEqualTo(0);
        await Assert.That(web.KillSignal).IsEqualTo("SIGINT");
        await Assert.That(web.KillTimeout).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(web.ListenTimeout).IsEqualTo(TimeSpan.FromSeconds(30));
        await Assert.That(web.Host).IsEqualTo("0.0.0.0");
        await Assert.That(web.Instances).IsEqualTo(1);
    }

    [Test]
    public async Task InstancesMaxZeroAndMinusOneFollowTheCpuCount()
    {
        var result = ConfigFixture.Load("instances.toml");
        var cpus = Environment.ProcessorCount;
        await Assert.That(result.App("max").Instances).IsEqualTo(cpus);
        await Assert.That(result.App("zero").Instances).IsEqualTo(cpus);
        await Assert.That(result.App("all-but-one").Instances).IsEqualTo(Math.Max(1, cpus - 1));
        await Assert.That(result.App("three").Instances).IsEqualTo(3);
    }

    [Test]
    public async Task DurationsAndSizesAcceptNumbersAndUnits()
    {
        var result = ConfigFixture.Load("units.toml");
        var web = result.App("web");
        await Assert.That(web.ListenTimeout).IsEqualTo(TimeSpan.FromMilliseconds(500));
        await Assert.That(web.KillTimeout).IsEqualTo(TimeSpan.FromSeconds(5));
        await Assert.That(web.MinUptime).IsEqualTo(TimeSpan.FromMinutes(2));
        await Assert.That(web.RestartDelay).IsEqualTo(TimeSpan.FromHours(1));
        await Assert.That(web.ExpBackoffRestartDelay).IsEqualTo(TimeSpan.FromMilliseconds(1500));
        await Assert.That(web.MaxMemoryRestartBytes).IsEqualTo(10L * 1024);
        await Assert.That(web.LogMaxSizeBytes).IsEqualTo(1L << 30);
        var bytes = result.App("bytes");
        await Assert.That(bytes.MaxMemoryRestartBytes).IsEqualTo(4096L);
        await Assert.That(bytes.LogMaxSizeBytes).IsEqualTo(10L * 1024 * 1024);
    }

    [Test]
    public async Task EnvProductionIsAppliedOnTopOfEnvOnlyWithTheEnvOption()
    {
        var plain = ConfigFixture.Load("env.toml").App("web");
        await Assert.That(plain.Env["NODE_ENV"]).IsEqualTo("development");
        await Assert.That(plain.Env.ContainsKey("EXTRA")).IsFalse();
        await Assert.That(plain.Env["PORT"]).IsEqualTo("3000");
        await Assert.That(plain.Env["VERBOSE"]).IsEqualTo("true");

        var production = ConfigFixture.Load("env.toml", env: "production");
        await Assert.That(production.App("web").Env["NODE_ENV"]).IsEqualTo("production");
        await Assert.That(production.App("web").Env["EXTRA"]).IsEqualTo("yes");
        await Assert.That(production.App("web").Env["PORT"]).IsEqualTo("3000");
        await Assert.That(production.App("worker").Env["QUEUE"]).IsEqualTo("jobs");
    }

    [Test]
    public async Task EnvNameThatNoAppDefinesIsAnError()
    {
        var result = ConfigFixture.Load("env.toml", env: "prodution");
        await Assert.That(result.ErrorText()).IsEqualTo(
            "--env prodution: no app in env.toml has an [apps.env_prodution] table (defined: production)");
    }

    [Test]
    public async Task ArgsStringIsSplitLikeAShellWithoutRunningOne()
    {
        var web = ConfigFixture.Load("args-string.toml").App("web");
        await Assert.That(string.Join("|", web.Args)).IsEqualTo("--name|my app|--title|say \"hi\"|plain space");
    }

    [Test]
    public async Task PathsResolveAgainstCwdAndCwdAgainstTheFilesFolder()
    {
        var result = ConfigFixture.Load("paths.toml");
        var web = result.App("web");
        await Assert.That(web.Cwd).IsEqualTo(Site);
        await Assert.That(web.Script).IsEqualTo(Path.Combine(Site, "server.js"));
        await Assert.That(string.Join("|", web.Watch)).IsEqualTo(Site);
        await Assert.That(web.OutFile).IsEqualTo(Path.Combine(Site, "logs", "out.log"));
        await Assert.That(result.App("missing").Script).IsEqualTo(Path.Combine(ConfigFixture.Folder, "no", "such", "file"));
    }

    [Test]
    public async Task MissingScriptIsOnlyAWarning()
    {
        var result = ConfigFixture.Load("paths.toml");
        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(string.Join("\n", result.Warnings)).IsEqualTo(
            $"paths.toml:10:1: warning: script './no/such/file' of [[apps]] 'missing' does not exist yet (looked for {ConfigFixture.Folder}/no/such/file); build it before 'pmx up'");
    }

    [Test]
    public async Task InterpreterIsInferredFromTheExtensionUnlessNone()
    {
        var result = ConfigFixture.Load("interpreters.toml");
        await Assert.That(result.App("js").Interpreter).IsEqualTo("node");
        await Assert.That(result.App("py").Interpreter).IsEqualTo("python3");
        await Assert.That(result.App("shell").Interpreter).IsEqualTo("sh");
        await Assert.That(result.App("direct").Interpreter).IsNull();
        var command = result.App("command");
        await Assert.That(command.Interpreter).IsNull();
        await Assert.That(command.Script).IsEqualTo("sh");
    }

    [Test]
    public async Task LoadNamesTheFileAsTheUserGaveIt()
    {
        var path = Path.Combine(ConfigFixture.Folder, "unknown-key.toml");
        var result = ConfigLoader.Load(path, null);
        await Assert.That(result.Errors[0].ToString()).StartsWith(path + ":4:1: unknown key 'instnces'");
    }

    [Test]
    public async Task MissingFileSaysHowToPointAtOne()
    {
        var result = ConfigLoader.Load("no-such-dir/ecosystem.toml", null);
        await Assert.That(result.ErrorText()).IsEqualTo(
            "cannot read 'no-such-dir/ecosystem.toml': no such file (run pmx in the folder holding it, or pass -c FILE)");
        await Assert.That(result.Errors[0].HasLocation).IsFalse();
    }

    [Test]
    public async Task ByteOrderMarkIsAccepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("[[apps]]\nname = \"a\"\nscript = \"sh\"\n")).ToArray();
        var result = ConfigLoader.ParseUtf8(bytes, "bom.toml", ConfigFixture.Folder, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
    }

    [Test]
    public async Task EnvTableInOneAppAndInlineEnvInTheNextAreBothAccepted()
    {
        var result = ConfigLoader.Parse("[[apps]]\nname = \"a\"\nscript = \"sh\"\n[apps.env]\nA = \"1\"\n[[apps]]\nname = \"b\"\nscript = \"sh\"\nenv = { B = \"2\" }\n",
            "mixed.toml", ConfigFixture.Folder, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.App("b").Env["B"]).IsEqualTo("2");
    }

    [Test]
    public async Task KeyDefinedTwiceInOneAppIsAnError()
    {
        var result = ConfigLoader.Parse("[[apps]]\nname = \"a\"\nname = \"b\"\nscript = \"sh\"\n", "twice.toml", ConfigFixture.Folder, null);
        await Assert.That(result.ErrorText()).IsEqualTo(
            "twice.toml:3:1: 'apps.name' is already defined at line 2; a key or table can be defined only once");
    }

    [Test]
    public async Task SignalsAreNormalisedToTheirSigName()
    {
        foreach (var (written, canonical) in new[] { ("\"SIGTERM\"", "SIGTERM"), ("\"term\"", "SIGTERM"), ("2", "SIGINT"), ("\"USR2\"", "SIGUSR2") })
        {
            var result = ConfigLoader.Parse($"[[apps]]\nname = \"a\"\nscript = \"sh\"\nkill_signal = {written}\n", "s.toml", ConfigFixture.Folder, null);
            await Assert.That(result.App("a").KillSignal).IsEqualTo(canonical);
        }
    }

    [Test]
    public async Task PmTwoSpellingsPointAtThePmxKey()
    {
        var result = ConfigLoader.Parse("[[apps]]\nname = \"a\"\nscript = \"sh\"\nerr_file = \"x\"\n", "pm2.toml", ConfigFixture.Folder, null);
        await Assert.That(result.ErrorText()).IsEqualTo("pm2.toml:4:1: unknown key 'err_file' in [[apps]] 'a' (did you mean 'error_file'?)");
    }

    [Test]
    public async Task ReservedNameAllIsRejected()
    {
        var result = ConfigLoader.Parse("[[apps]]\nname = \"all\"\nscript = \"sh\"\n", "all.toml", ConfigFixture.Folder, null);
        await Assert.That(result.ErrorText()).IsEqualTo("all.toml:2:1: app name \"all\" is reserved ('pmx stop all' means every app); choose another name");
    }
}
