using Pmx.Config;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>`pmx start script [-- args]`: an app from the command line, or a known app by name.</summary>
internal static class StartCommand
{
    public static int Run(string script, string? name, int instances, IReadOnlyList<string> args)
    {
        var looksLikeFile = script.Contains('/') || File.Exists(script);
        if (!looksLikeFile && name is null && args.Count == 0 && instances == 1
            && DaemonConnection.Query(new ControlRequest { Command = "list", Target = script }) is { } known
            && known.Processes?.Any(p => p.Name == script) == true)
        {
            // `pmx start web` starts a known app again (after `pmx stop web`), as PM2 does.
            return DaemonConnection.Send(new ControlRequest { Command = "start", Target = script }, startDaemon: false);
        }
        var appName = name ?? Path.GetFileNameWithoutExtension(script);
        var toml = $"[[apps]]\nname = {Quote(appName)}\nscript = {Quote(script)}\ninstances = {instances}\nargs = [{string.Join(", ", args.Select(Quote))}]\n";
        var loaded = ConfigLoader.Parse(toml, "pmx start", Environment.CurrentDirectory, null);
        if (!ConfigReport.Print(loaded)) return ExitCodes.Usage;
        return DaemonConnection.Send(new ControlRequest
        {
            Command = "start", Target = appName, Apps = loaded.Apps, Environment = DaemonConnection.CurrentEnvironment(),
        }, startDaemon: true);
    }

    static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
