using System.Diagnostics;
using Pmx.Control;
using Pmx.Daemon;

namespace Pmx.Cli;

/// <summary>
/// `pmx update`: the running daemon hands over to the pmx binary on disk (this one, or --binary);
/// every worker keeps running with its pid (DESIGN §12). Waits until the new daemon answers.
/// </summary>
internal static class UpdateCommand
{
    static readonly TimeSpan NewDaemonTimeout = TimeSpan.FromSeconds(15);

    public static int Run(string? binary)
    {
        var path = Path.GetFullPath(binary ?? Environment.ProcessPath!);
        if (ProtocolOf(path) is not { } protocol)
        {
            Console.Error.WriteLine($"pmx: {path} did not say which hand-over protocol it speaks ('{path} {Handover.ProtocolVerb}' failed); is it a pmx binary? The daemon keeps running unchanged.");
            return ExitCodes.Failure;
        }
        var before = DaemonPid();
        return DaemonConnection.Send(new ControlRequest { Command = "update", Args = [path, protocol] }, startDaemon: false,
            whenNotRunning: () =>
            {
                Console.Out.WriteLine("pmx: no daemon is running; the next command starts one from the binary on disk");
                return ExitCodes.Ok;
            },
            onResult: result =>
            {
                if (!string.IsNullOrEmpty(result.Message)) Console.Out.WriteLine(result.Message);
                WaitForNewDaemon(before);
            });
    }

    /// <summary>What `BINARY __handover-protocol` prints; null when it cannot run or says nothing usable.</summary>
    static string? ProtocolOf(string binary)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, Handover.ProtocolVerb) { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10))) { process.Kill(); return null; }
            var text = output.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0 && text.Length > 0 && text.All(char.IsAsciiDigit) ? text : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException) { return null; }
    }

    static void WaitForNewDaemon(int? before)
    {
        var deadline = DateTime.UtcNow + NewDaemonTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (DaemonPid() is { } now && now != before && DaemonConnection.Query(new ControlRequest { Command = "list" }) is { ExitCode: 0 })
            {
                Console.Out.WriteLine($"pmx: the new daemon (pid {now}) has adopted every worker");
                return;
            }
            Thread.Sleep(50);
        }
        Console.Error.WriteLine($"pmx: no new daemon answered within {NewDaemonTimeout.TotalSeconds:0} s; see {DaemonConnection.Home.DaemonLogPath}");
        Environment.ExitCode = ExitCodes.Failure;
    }

    static int? DaemonPid()
    {
        try { return int.TryParse(File.ReadAllText(DaemonConnection.Home.PidFilePath).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }
}
