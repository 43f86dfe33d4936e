using Pmx.Config;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>
/// `pmx reload [targets]`: re-reads the ecosystem files the apps came from, here in the CLI (a JS
/// config runs the user's node, with this shell's environment, as PM2 does; the daemon never
/// starts a process outside its spawn path), and sends the apps found with the reload, so a
/// changed env or args takes effect. An invalid file reloads nothing.
/// </summary>
internal static class ReloadCommand
{
    public static int Run(IReadOnlyList<string> targets, bool updateEnv)
    {
        var worst = ExitCodes.Ok;
        foreach (var target in targets.Distinct(StringComparer.Ordinal))
        {
            if (FreshApps(target, out var failure) is not { } apps)
            {
                Console.Error.WriteLine("pmx: " + failure);
                worst = Math.Max(worst, ExitCodes.Usage);
                continue;
            }
            var code = DaemonConnection.Send(new ControlRequest
            {
                Command = "reload", Target = target, Apps = apps, Args = updateEnv ? [DaemonCommands.UpdateEnvironmentFlag] : [],
                Environment = updateEnv ? DaemonConnection.CurrentEnvironment() : null,
            }, startDaemon: false);
            worst = Math.Max(worst, code);
        }
        return worst;
    }

    /// <summary>The apps of every file the target's apps came from; null (and why) when one has errors.</summary>
    static IReadOnlyList<AppSpec>? FreshApps(string target, out string? failure)
    {
        failure = null;
        IReadOnlyList<ConfigSource> sources;
        try
        {
            sources = DaemonConnection.Query(new ControlRequest { Command = "config-sources", Target = target }) is { ExitCode: 0 } answer
                ? answer.ConfigSources ?? []
                : []; // no daemon (the reload request says so), or one that does not know the query: reload with what it has
        }
        catch (ControlProtocolException)
        {
            sources = []; // a daemon of another version: the reload request reports it
        }
        var apps = new List<AppSpec>();
        foreach (var source in sources)
        {
            if (!File.Exists(source.Path)) continue; // the file is gone: reload with what pmx has
            var loaded = ConfigLoader.Load(source.Path, source.EnvName);
            if (!loaded.IsValid)
            {
                failure = $"not reloading: {source.Path} has errors (the running apps are untouched)\n"
                    + string.Join("\n", loaded.Errors.Select(e => e.ToString()));
                return null;
            }
            apps.AddRange(loaded.Apps);
        }
        return apps;
    }
}
