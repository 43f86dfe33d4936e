using Pmx.Control;

namespace Pmx.Cli;

/// <summary>The verbs that are one request to the daemon and print its answer.</summary>
internal static class DaemonCommands
{
    public static int OnApp(string command, string target, params string[] args) =>
        DaemonConnection.Send(new ControlRequest { Command = command, Target = target, Args = args }, startDaemon: false);

    /// <summary>restart/reload: with --update-env the app gets this shell's environment.</summary>
    public static int OnAppUpdatingEnvironment(string command, string target, bool updateEnvironment) =>
        updateEnvironment
            ? DaemonConnection.Send(new ControlRequest
            {
                Command = command, Target = target, Args = [UpdateEnvironmentFlag], Environment = DaemonConnection.CurrentEnvironment(),
            }, startDaemon: false)
            : OnApp(command, target);

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
