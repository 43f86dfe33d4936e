using Pmx.Config;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>`pmx start script [-- args]`: an app from the command line, or a known app by name.</summary>
internal static class StartCommand
{
    public static int Run(string script, string? name, int instances, IReadOnlyList<string> args)
    {
        var looksLikeFile = script.Contains('/') || File.Exists(script);
        if (!looksLikeFile && name is null && args.Count == 0 && instances == 1)
        {
            // `pmx start web` restarts a stopped app; if pmx knows no such app, run it as a command.
            var known = DaemonConnection.Send(new ControlRequest { Command = "start", Target = script }, startDaemon: false,
                whenNotRunning: () => -1);
            if (known != -1 && known != ExitCodes.Failure) return known;
        }
        var appName = name ?? Path.GetFileNameWithoutExtension(script);
        var toml = $"[[apps]]\nname = {Quote(appName)}\nscript = {Quote(script)}\ninstances = {instances}\nargs = [{string.Join(", ", args.Select(Quote))}]\n";
        var loaded = ConfigLoader.Parse(toml, "pmx start", Environment.CurrentDirectory, null);
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine("pmx: warning: " + warning);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors) Console.Error.WriteLine("pmx: " + error.Message);
            return ExitCodes.Usage;
        }
        return DaemonConnection.Send(new ControlRequest
        {
            Command = "start", Target = appName, Apps = loaded.Apps, Environment = DaemonConnection.CurrentEnvironment(),
        }, startDaemon: true);
    }

    static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
