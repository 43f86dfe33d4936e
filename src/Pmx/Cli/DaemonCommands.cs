using Pmx.Control;

namespace Pmx.Cli;

/// <summary>The verbs that are one request to the daemon and print its answer.</summary>
internal static class DaemonCommands
{
    public static int OnApp(string command, string target, params string[] args) =>
        DaemonConnection.Send(new ControlRequest { Command = command, Target = target, Args = args }, startDaemon: false);

    /// <summary>
    /// PM2's targets: one name, several names, or `all`; one request per name, in order, so each
    /// prints its own progress. --update-env sends this shell's environment for the apps to take.
    /// </summary>
    public static int OnApps(string command, IReadOnlyList<string> targets, bool updateEnv = false)
    {
        if (targets.Count == 0)
        {
            Console.Error.WriteLine($"pmx: {command} what? Give app names, or 'all'");
            return ExitCodes.Usage;
        }
        var worst = ExitCodes.Ok;
        foreach (var target in targets.Distinct(StringComparer.Ordinal))
        {
            var code = DaemonConnection.Send(new ControlRequest
            {
                Command = command, Target = target, Args = updateEnv ? [UpdateEnvironmentFlag] : [],
                Environment = updateEnv ? DaemonConnection.CurrentEnvironment() : null,
            }, startDaemon: false);
            worst = Math.Max(worst, code);
        }
        return worst;
    }

    public const string UpdateEnvironmentFlag = "--update-env";

    public static int List(bool json, string? filter) => ListCommand.Run(json, filter);

    public static int Describe(string name) =>
        DaemonConnection.Send(new ControlRequest { Command = "describe", Target = name }, startDaemon: false,
            onResult: result => Console.Out.Write(DescribeRenderer.Render(result.Details!, Terminal.UseColourOnStdout)));

    public static int Down(string? configPath) =>
        DaemonConnection.Send(new ControlRequest { Command = "down", ConfigPath = configPath is null ? null : Path.GetFullPath(configPath) },
            startDaemon: false, whenNotRunning: () => { Console.Out.WriteLine("pmx: no daemon is running; nothing to stop"); return ExitCodes.Ok; },
            onResult: result =>
            {
                PrintMessage(result);
                if (configPath is null) DaemonConnection.WaitUntilDaemonGone(DaemonExitDeadline);
            });

    /// <summary>A `list` request: the cheapest exchange, and one every daemon answers.</summary>
    public static int Ping() =>
        DaemonConnection.Send(new ControlRequest { Command = "list" }, startDaemon: true,
            onResult: _ => Console.Out.WriteLine($"pong (daemon for PMX_HOME={DaemonConnection.Home.Root})"));

    public static int Kill() =>
        DaemonConnection.Send(new ControlRequest { Command = "kill" }, startDaemon: false,
            whenNotRunning: () => { Console.Out.WriteLine("pmx: no daemon is running"); return ExitCodes.Ok; },
            onResult: result =>
            {
                PrintMessage(result);
                DaemonConnection.WaitUntilDaemonGone(DaemonExitDeadline);
            });

    static readonly TimeSpan DaemonExitDeadline = TimeSpan.FromSeconds(10);

    static void PrintMessage(ControlResult result)
    {
        if (!string.IsNullOrEmpty(result.Message)) Console.Out.WriteLine(result.Message);
    }
}
