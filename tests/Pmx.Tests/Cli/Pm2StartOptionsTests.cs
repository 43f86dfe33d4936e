using Pmx.Cli;

namespace Pmx.Tests.Cli;

public class Pm2StartOptionsTests
{
    [Test]
    public async Task Pm2OptionsBecomeAppKeysAndWhatFollowsTheDoubleDashTheArguments()
    {
        var options = Pm2StartOptions.Parse(
            ["app.js", "-i", "4", "--name", "web", "--watch", "--no-autorestart", "--max-memory-restart", "200M", "--cron", "0 3 * * *",
             "-o", "out.log", "-e", "err.log", "--time", "--wait-ready", "--listen-timeout", "8000", "--port=9000", "--", "--x", "y"], out var error)!;
        await Assert.That(error).IsEqualTo("");
        await Assert.That(options.Targets).IsEquivalentTo(["app.js"]);
        await Assert.That(options.Name).IsEqualTo("web");
        await Assert.That(options.Instances).IsEqualTo("4");
        await Assert.That(string.Join(" ", options.Args)).IsEqualTo("--x y");
        await Assert.That((bool)options.Keys["watch"]).IsTrue();
        await Assert.That((bool)options.Keys["autorestart"]).IsFalse();
        await Assert.That(options.Keys["max_memory_restart"]).IsEqualTo("200M");
        await Assert.That(options.Keys["cron_restart"]).IsEqualTo("0 3 * * *");
        await Assert.That(options.Keys["out_file"]).IsEqualTo("out.log");
        await Assert.That(options.Keys["error_file"]).IsEqualTo("err.log");
        await Assert.That((bool)options.Keys["time"]).IsTrue();
        await Assert.That(options.Keys["listen_timeout"]).IsEqualTo(8000L);
        await Assert.That(options.Keys["port"]).IsEqualTo(9000L);
    }

    [Test]
    public async Task AnUnknownOptionIsAnErrorNamingIt()
    {
        var options = Pm2StartOptions.Parse(["app.js", "--frobnicate"], out var error);
        await Assert.That(options).IsNull();
        await Assert.That(error).Contains("'--frobnicate'");
    }

    [Test]
    [Arguments("ecosystem.config.js", true)]
    [Arguments("pm2.config.cjs", true)]
    [Arguments("process.yml", true)]
    [Arguments("ecosystem.json", true)]
    [Arguments("ecosystem.toml", true)]
    [Arguments("app.js", false)]
    [Arguments("server.mjs", false)]
    public async Task ConfigFilesAreRecognisedByPm2sRule(string path, bool isConfig) =>
        await Assert.That(StartCommand.IsConfigFile(path)).IsEqualTo(isConfig);
}

public class ImportCommandTests
{
    [Test]
    public async Task APm2ConfigBecomesTomlWithUnimplementedKeysAsComments()
    {
        var folder = Directory.CreateTempSubdirectory("pmx-import-").FullName;
        try
        {
            var file = Path.Combine(folder, "ecosystem.json");
            File.WriteAllText(file, """{ "apps": [{ "name": "api", "script": "api.js", "node_args": "--inspect", "vizion": false, "env": { "PORT": 3000 } }] }""");
            var (root, failure, _) = Pmx.Config.Pm2ConfigReader.ReadModel(file);
            await Assert.That(failure).IsNull();
            await Assert.That(ImportCommand.Render(root, file)).IsEqualTo("""
                # Converted from ecosystem.json by 'pmx import'.

                [[apps]]
                name = "api"
                script = "api.js"
                # not implemented by pmx: vizion = false
                interpreter_args = "--inspect"

                [apps.env]
                "PORT" = 3000

                """.Replace("\r\n", "\n"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
