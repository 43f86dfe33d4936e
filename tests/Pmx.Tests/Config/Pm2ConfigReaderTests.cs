using Pmx.Config;

namespace Pmx.Tests.Config;

/// <summary>PM2's ecosystem formats (.js, .json, .yml) through the one validation ecosystem.toml gets.</summary>
public class Pm2ConfigReaderTests
{
    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pmx-pm2cfg-").FullName;

        public string Write(string name, string text)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    [Test]
    public async Task TheSeedsInstanceTypoIsAnErrorNamingTheFileTheAppAndSuggestingInstances()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ecosystem.json", """{ "apps": [{ "name": "app", "script": "app.js", "instance": 0, "exec_mode": "cluster" }] }""");
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.IsValid).IsFalse();
        var message = result.ErrorText();
        await Assert.That(message).Contains(file);
        await Assert.That(message).Contains("'instance'");
        await Assert.That(message).Contains("app 'app'");
        await Assert.That(message).Contains("did you mean 'instances'?");
    }

    [Test]
    public async Task Pm2KeysPmxDoesNotImplementAreOneWarningLineAndTheAppStillLoads()
    {
        using var folder = new TempFolder();
        var file = folder.Write("process.json", """{ "apps": [{ "name": "api", "script": "api.js", "vizion": false, "automation": false, "post_update": ["npm install"] }], "deploy": {} }""");
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Apps.Single().Name).IsEqualTo("api");
        var keyWarnings = result.Warnings.Where(w => w.Contains("vizion")).ToList();
        await Assert.That(keyWarnings.Count).IsEqualTo(1);
        await Assert.That(keyWarnings[0]).Contains("vizion, automation, post_update");
        await Assert.That(keyWarnings[0]).StartsWith(file + ": warning:");
    }

    [Test]
    public async Task Pm2SpellingsMapToPmxKeysAndEnvNameAppliesEnvTables()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ecosystem.json", """
            { "apps": [{ "name": "api", "script": "api.js", "node_args": "--max-old-space-size=256", "error": "err.log",
                         "instances": "max", "exec_mode": "cluster_mode", "kill_timeout": 5000, "max_memory_restart": "300M",
                         "log_date_format": "YYYY-MM-DD HH:mm Z", "env": { "NODE_ENV": "development", "PORT": 3000 },
                         "env_production": { "NODE_ENV": "production" } }] }
            """);
        var app = ConfigLoader.Load(file, "production").Apps.Single();
        await Assert.That(string.Join(" ", app.InterpreterArgs)).IsEqualTo("--max-old-space-size=256");
        await Assert.That(app.ErrorFile).IsEqualTo(Path.Combine(folder.Path, "err.log"));
        await Assert.That(app.Instances).IsEqualTo(Environment.ProcessorCount);
        await Assert.That(app.ExecMode).IsEqualTo(ExecMode.Cluster);
        await Assert.That(app.Port).IsNull();
        await Assert.That(app.KillTimeout).IsEqualTo(TimeSpan.FromSeconds(5));
        await Assert.That(app.MaxMemoryRestartBytes).IsEqualTo(300L << 20);
        await Assert.That(app.LogDateFormat).IsEqualTo("yyyy-MM-dd HH:mm zzz");
        await Assert.That(app.Time).IsTrue();
        await Assert.That(app.Env["NODE_ENV"]).IsEqualTo("production");
        await Assert.That(app.Env["PORT"]).IsEqualTo("3000");
    }

    [Test]
    public async Task AProcessYmlStartsItsApps()
    {
        using var folder = new TempFolder();
        var file = folder.Write("process.yml", """
            apps:
              - name: worker
                script: worker.js
                instances: 2
                exec_mode: cluster
                wait_ready: true
                listen_timeout: 50000
                env:
                  LABEL: "007"
            """);
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        var app = result.Apps.Single();
        await Assert.That(app.Instances).IsEqualTo(2);
        await Assert.That(app.WaitReady).IsTrue();
        await Assert.That(app.ListenTimeout).IsEqualTo(TimeSpan.FromSeconds(50));
        await Assert.That(app.Env["LABEL"]).IsEqualTo("007");
    }

    [Test]
    public async Task AnEcosystemConfigJsIsEvaluatedByNodeAndItsCommonJsExportRead()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ecosystem.config.js", """
            const instances = 2 + 2;
            console.log('configs may print');
            module.exports = { apps: [{ name: 'app', script: 'app.js', instances, exec_mode: 'cluster', wait_ready: true }] };
            """);
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Apps.Single().Instances).IsEqualTo(4);
    }

    [Test]
    public async Task AnEsModuleConfigIsReadThroughImport()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ecosystem.config.mjs", "export default { apps: [{ name: 'esm', script: 'app.js' }] };");
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        await Assert.That(result.Apps.Single().Name).IsEqualTo("esm");
    }

    [Test]
    public async Task AConfigThatThrowsIsAnErrorQuotingNode()
    {
        using var folder = new TempFolder();
        var file = folder.Write("ecosystem.config.js", "moduel.exports == { apps: [] };");
        var result = ConfigLoader.Load(file, null);
        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.ErrorText()).Contains("moduel is not defined");
    }

    [Test]
    public async Task ClusterModeNeedsNoPortForANodeScriptButStillDoesForOthers()
    {
        using var folder = new TempFolder();
        var node = folder.Write("node.json", """[{ "name": "n", "script": "server.js", "exec_mode": "cluster", "instances": 2 }]""");
        var other = folder.Write("other.json", """[{ "name": "o", "script": "./server", "exec_mode": "cluster", "instances": 2 }]""");
        var off = folder.Write("off.json", """[{ "name": "p", "script": "server.js", "exec_mode": "cluster", "node_preload": false }]""");
        await Assert.That(ConfigLoader.Load(node, null).ErrorText()).IsEqualTo("");
        await Assert.That(ConfigLoader.Load(other, null).ErrorText()).Contains("has no 'port'");
        await Assert.That(ConfigLoader.Load(off, null).ErrorText()).Contains("has no 'port'");
    }

    [Test]
    [Arguments("YYYY-MM-DD HH:mm:ss", "yyyy-MM-dd HH:mm:ss")]
    [Arguments("YYYY-MM-DDTHH:mm:ss.SSSZ", "yyyy-MM-ddTHH:mm:ss.fffzzz")]
    [Arguments("HH:mm", "HH:mm")]
    public async Task MomentDateFormatsBecomeDotNetFormats(string moment, string dotnet) =>
        await Assert.That(MomentFormat.ToDotNet(moment)).IsEqualTo(dotnet);
}
