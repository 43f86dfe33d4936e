using System.Diagnostics;
using System.Runtime.InteropServices;
using Pmx.Processes;

namespace Pmx.Daemon;

// Overview
// As PID 1 (a container's entry point, `unshare --pid`) the .NET runtime reaps every child itself:
// its SIGCHLD thread calls waitpid(-1) because "pid 1 is responsible for reaping orphans" (runtime
// pal_signal.c). That would steal our workers' exit statuses. So as PID 1, pmx splits in two, like
// tini in front of an app: this process stays PID 1, lets the runtime reap orphans, forwards the
// stop signals, and exits with the code of a second pmx that is the real supervisor (not PID 1,
// and a subreaper, so its workers' orphans are reaped by it).

/// <summary>The minimal init that `pmx up --no-daemon` becomes when it is PID 1.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class InitProcess
{
    /// <summary>PosixSignal's named values are .NET's own negative codes; raw values are Linux numbers.</summary>
    static readonly (PosixSignal Registration, int Number)[] Forwarded =
    [
        (PosixSignal.SIGTERM, SignalNames.SIGTERM), (PosixSignal.SIGINT, SignalNames.SIGINT),
        (PosixSignal.SIGHUP, SignalNames.SIGHUP), (PosixSignal.SIGQUIT, SignalNames.SIGQUIT),
        ((PosixSignal)SignalNames.SIGUSR1, SignalNames.SIGUSR1), ((PosixSignal)SignalNames.SIGUSR2, SignalNames.SIGUSR2),
    ];

    public static bool IsPid1 => Environment.ProcessId == 1;

    public static int RunSupervisorAsChild(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // System.Diagnostics.Process (never used by the supervisor itself) is right here: with it
        // registered, the runtime records this child's exit code instead of discarding it.
        using var supervisor = Process.Start(start)!;
        var host = new LinuxProcessHost(Environment.ProcessPath!);
        var registrations = Forwarded.Select(signal => PosixSignalRegistration.Create(signal.Registration, context =>
        {
            context.Cancel = true;
            host.Signal(supervisor.Id, signal.Number);
        })).ToList();
        supervisor.WaitForExit();
        foreach (var registration in registrations) registration.Dispose();
        return supervisor.ExitCode;
    }
}
