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
        var loaded = ConfigLoader.Parse(ConfigText(appName, script, instances, args), "pmx start", Environment.CurrentDirectory, null);
        if (!ConfigReport.Print(loaded)) return ExitCodes.Usage;
        return DaemonConnection.Send(new ControlRequest
        {
            Command = "start", Target = appName, Apps = loaded.Apps, Environment = DaemonConnection.CurrentEnvironment(),
        }, startDaemon: true);
    }

    /// <summary>
    /// The command line as an ecosystem file, so it meets the same validation as `pmx up`. Every
    /// value is a quoted, escaped TOML string: an argument holding a newline or a quote stays one
    /// argument, never a new key.
    /// </summary>
    internal static string ConfigText(string appName, string script, int instances, IReadOnlyList<string> args) =>
        $"[[apps]]\nname = {TomlString.Quote(appName)}\nscript = {TomlString.Quote(script)}\n"
        + $"instances = {instances.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nargs = [{string.Join(", ", args.Select(TomlString.Quote))}]\n";
}
