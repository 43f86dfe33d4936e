using Pmx.Config;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>`pmx up`: validate the ecosystem file here, then let the daemon (or the foreground supervisor) reconcile.</summary>
internal static class UpCommand
{
    public static int Run(string configPath, string? envName, bool noDaemon, bool updateEnvironment = false)
    {
        if (OperatingSystem.IsLinux() && noDaemon && Daemon.InitProcess.IsPid1)
            return Daemon.InitProcess.RunSupervisorAsChild(Environment.GetCommandLineArgs()[1..]);
        if (Load(configPath, envName) is not { } loaded) return ExitCodes.Usage;
        var fullPath = Path.GetFullPath(configPath);
        var environment = DaemonConnection.CurrentEnvironment();
        if (noDaemon)
            return Daemon.DaemonHost.RunForeground((supervisor, progress) =>
                supervisor.Up(loaded.Apps, environment, fullPath, progress, envName, updateEnvironment));
        return DaemonConnection.Send(new ControlRequest
        {
            Command = "up", Apps = loaded.Apps, Environment = environment, ConfigPath = fullPath, EnvName = envName,
            WorkingDirectory = Environment.CurrentDirectory, Args = updateEnvironment ? [DaemonCommands.UpdateEnvironmentFlag] : [],
        }, startDaemon: true);
    }

    /// <summary>Loads and validates; prints errors (exit 2) and warnings. Null when invalid.</summary>
    public static ConfigLoadResult? Load(string configPath, string? envName)
    {
        var result = ConfigLoader.Load(configPath, envName);
        return ConfigReport.Print(result) ? result : null;
    }
}
