namespace Pmx.EndToEnd;

/// <summary>
/// A bare `pmx reload` re-reads the apps' config files as PM2 users expect: evaluated by the CLI
/// in the user's shell (the daemon never runs node itself), and only for the apps that were
/// started from it (--only is remembered).
/// </summary>
public class ConfigReloadTests
{
    static string JsConfig(string extraApp = "") => $$"""
        module.exports = { apps: [
          { name: 'web', script: '{{PmxSandbox.TestWorker}}', args: ['--print-env', 'TAG'], env: { TAG: process.env.TAG } },{{extraApp}}
        ] };
        """;

    static bool LogHas(PmxSandbox sandbox, string app, string text)
    {
        var path = Path.Combine(sandbox.Home, "logs", $"{app}-0-out.log");
        return File.Exists(path) && File.ReadAllText(path).Contains(text, StringComparison.Ordinal);
    }

    async Task<RunResult> PmxWithTag(PmxSandbox sandbox, string tag, CancellationToken ct, params string[] args)
    {
        var env = sandbox.Env;
        env["TAG"] = tag;
        var run = await PmxRun.Run(args, ct, env, sandbox.WorkDir);
        if (run.ExitCode != 0) throw new InvalidOperationException($"pmx {string.Join(' ', args)} exited {run.ExitCode}: {run.Stderr}");
        return run;
    }

    [Test, Timeout(90_000)]
    public async Task AReloadEvaluatesTheJsConfigInTheShellThatAsksNotInTheDaemon(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var config = sandbox.WriteConfig(JsConfig(), "ecosystem.config.js");
        await PmxWithTag(sandbox, "one", ct, "start", config);
        await Poll.Until(() => LogHas(sandbox, "web", "TAG=one"), TimeSpan.FromSeconds(20), "web printing TAG=one", ct);

        var reload = await PmxWithTag(sandbox, "two", ct, "reload");

        await Assert.That(reload.Stdout).Contains("picked up the changes in ecosystem.config.js");
        await Poll.Until(() => LogHas(sandbox, "web", "TAG=two"), TimeSpan.FromSeconds(20), "the reloaded web printing TAG=two", ct);
    }

    [Test, Timeout(90_000)]
    public async Task StartWithOnlyIsRememberedABareReloadOrRestartReReadsTheFileButNeverStartsTheAppsOnlyLeftOut(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var config = sandbox.WriteConfig(JsConfig($"\n  {{ name: 'other', script: '{PmxSandbox.TestWorker}' }},"), "ecosystem.config.js");
        await PmxWithTag(sandbox, "one", ct, "start", config, "--only", "web");
        await Poll.Until(() => LogHas(sandbox, "web", "TAG=one"), TimeSpan.FromSeconds(20), "web printing TAG=one", ct);

        await PmxWithTag(sandbox, "two", ct, "reload");
        var afterReload = await sandbox.List(ct);
        await PmxWithTag(sandbox, "three", ct, "restart", "all");
        var afterRestart = await sandbox.List(ct);
        await PmxWithTag(sandbox, "four", ct, "reload", "web");

        await Assert.That(afterReload.Select(r => r.Name)).IsEquivalentTo(["web"], CollectionOrdering.Matching);
        await Assert.That(afterRestart.Select(r => r.Name)).IsEquivalentTo(["web"], CollectionOrdering.Matching);
        await Assert.That((await sandbox.List(ct)).Select(r => r.Name)).IsEquivalentTo(["web"], CollectionOrdering.Matching);
        await Poll.Until(() => LogHas(sandbox, "web", "TAG=four"), TimeSpan.FromSeconds(20), "web re-read from the file with TAG=four", ct);
    }
}
