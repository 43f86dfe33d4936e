using System.Text;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>
/// `pmx list`: one exchange with the daemon through <see cref="ListExchange"/> (no serializer on
/// this path: it is the command people and scripts run most), then the table or the JSON array.
/// With no daemon there are no apps: an empty list, exit 0.
/// </summary>
internal static class ListCommand
{
    public static int Run(bool json, string? filter)
    {
        ListAnswer answer;
        try
        {
            answer = Ask(filter);
        }
        catch (DaemonNotRunningException) when (LeftByADeadDaemon())
        {
            // Its apps are not gone: a new daemon restarts them from state.json (DaemonAdoption.RestartOrStart).
            if (!DaemonConnection.StartDaemon(CancellationToken.None).GetAwaiter().GetResult()) return ExitCodes.Failure;
            return Run(json, filter);
        }
        catch (DaemonNotRunningException)
        {
            StandardOutput.Write(json ? ListRenderer.RenderJson([]) : ListRenderer.RenderTable([], Terminal.UseColourOnStdout));
            return ExitCodes.Ok;
        }
        catch (ControlProtocolException e)
        {
            Console.Error.WriteLine(e.Message); // it starts with "pmx:"
            return ExitCodes.Failure;
        }

        if (answer.ExitCode != ExitCodes.Ok)
        {
            DaemonConnection.PrintMessage(answer.ExitCode, answer.Message);
            return answer.ExitCode;
        }
        var processes = answer.Processes ?? "[]"u8.ToArray();
        try
        {
            // The daemon's array is what RenderJson would write for the same rows: the same
            // serializer wrote it (ListExchangeTests compares the bytes).
            StandardOutput.Write(json
                ? Encoding.UTF8.GetString(processes) + "\n"
                : ListRenderer.RenderTable(ListExchange.Rows(processes), Terminal.UseColourOnStdout)
                  + (answer.Message is { Length: > 0 } daemon ? daemon + "\n" : ""));
        }
        catch (ControlProtocolException e)
        {
            Console.Error.WriteLine(e.Message); // it starts with "pmx:"
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }

    static ListAnswer Ask(string? filter) =>
        ListExchange.Read(ControlClient.SendLine(DaemonConnection.Home.SocketPath, ListExchange.Request(filter), ListExchange.IsResult));

    /// <summary>
    /// A Windows daemon that died (killed, crashed) took its workers with it but left its apps in
    /// state.json: listing starts the daemon that brings them back, rather than saying there are none.
    /// On Linux the keeper starts that daemon itself.
    /// </summary>
    static bool LeftByADeadDaemon() =>
        OperatingSystem.IsWindows() && File.Exists(Daemon.DaemonStateFile.PathIn(DaemonConnection.Home));
}
