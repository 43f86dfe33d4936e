using Pmx.Control;

namespace Pmx.Cli;

/// <summary>`pmx resurrect`: start what the last `pmx save` recorded, exactly as it ran.</summary>
internal static class ResurrectCommand
{
    public static int Run(bool noDaemon)
    {
        var dumpPath = DaemonConnection.Home.DumpPath;
        if (!File.Exists(dumpPath))
        {
            Console.Error.WriteLine($"pmx: nothing to resurrect: {dumpPath} does not exist (run 'pmx save' while your apps run)");
            return ExitCodes.Failure;
        }
        // The dump is an ecosystem file: the strict loader reports damage and nothing half-starts.
        if (UpCommand.Load(dumpPath, envName: null) is not { } loaded)
        {
            Console.Error.WriteLine($"pmx: {dumpPath} is damaged (errors above); nothing was started");
            return ExitCodes.Usage;
        }
        var environment = DaemonConnection.CurrentEnvironment();
        if (noDaemon)
            return Daemon.DaemonHost.RunForeground((supervisor, progress) => supervisor.Up(loaded.Apps, environment, null, progress));
        return DaemonConnection.Send(new ControlRequest { Command = "up", Apps = loaded.Apps, Environment = environment }, startDaemon: true);
    }
}
