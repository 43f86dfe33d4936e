using System.Collections;
using System.Globalization;
using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>
/// `pmx __exec [--listen-fds N] [--pdeathsig --parent-pid P] -- program args…`: runs inside every
/// freshly spawned worker, between posix_spawn and the app's execve, to do what posix_spawn cannot.
/// </summary>
/// <remarks>
/// Overview
/// The pid survives execve, so whatever this process sets about itself is true of the app:
/// LISTEN_PID and SYSTEMD_EXEC_PID (sd_listen_fds and Kestrel's UseSystemd insist LISTEN_PID is
/// their own pid), and PR_SET_PDEATHSIG. It must stay tiny: it runs before every worker.
/// The environment is passed to execvpe explicitly, because Environment.SetEnvironmentVariable
/// never reaches the native environ. Right before execve the .NET runtime's signal state is undone:
/// it ignores SIGPIPE (ignored dispositions survive execve) and may block signals on this thread
/// (the mask survives execve too); handled signals reset to default by themselves.
/// Failures follow the shell: 127 when the program is not found, 126 when it cannot be executed.
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ExecShim
{
    public const string Verb = "__exec";
    public const string ListenFdsOption = "--listen-fds";
    public const string PdeathsigOption = "--pdeathsig";
    public const string ParentPidOption = "--parent-pid";

    const int ExitUsage = 2, ExitNotExecutable = 126, ExitNotFound = 127;

    public static int Run(ReadOnlySpan<string> args)
    {
        int listenFds = 0, parentPid = 0;
        bool pdeathsig = false;
        int i = 0;
        for (; i < args.Length && args[i] != "--"; i++)
        {
            switch (args[i])
            {
                case ListenFdsOption when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out listenFds):
                    i++;
                    break;
                case ParentPidOption when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out parentPid):
                    i++;
                    break;
                case PdeathsigOption:
                    pdeathsig = true;
                    break;
                default:
                    return Fail(ExitUsage, $"pmx {Verb}: unexpected argument '{args[i]}' (usage: pmx {Verb} [{ListenFdsOption} N] [{PdeathsigOption} {ParentPidOption} P] -- program args…)");
            }
        }
        var command = i < args.Length ? args[(i + 1)..] : [];
        if (command.Length == 0) return Fail(ExitUsage, $"pmx {Verb}: no program after '--'");

        if (pdeathsig)
        {
            if (prctl(PR_SET_PDEATHSIG, SignalNames.SIGKILL, 0, 0, 0) != 0)
                return Fail(ExitNotExecutable, $"pmx: cannot set the parent-death signal: {Describe(LastError)}");
            // The parent may have died before prctl took effect; then no signal will ever come.
            if (parentPid != 0 && getppid() != parentPid)
                return Fail(ExitNotExecutable, $"pmx: not starting '{command[0]}': pmx (pid {parentPid}) exited before the worker started");
        }

        var envp = BuildEnvironment(getpid(), listenFds);
        var argv = new string?[command.Length + 1];
        command.CopyTo(argv!);

        KeepOnlyPassedDescriptors(listenFds);
        ClearRuntimeSignalState();
        execvpe(command[0], argv, envp);
        var errno = LastError;
        return Fail(errno is Errno.ENOENT or Errno.ENOTDIR ? ExitNotFound : ExitNotExecutable,
            $"pmx: cannot run '{command[0]}': {Describe(errno)}");
    }

    /// <summary>Only stdio, the listen sockets and the Node channel survive the execve.</summary>
    static void KeepOnlyPassedDescriptors(int listenFds)
    {
        var highestKept = 2 + listenFds;
        if (int.TryParse(Environment.GetEnvironmentVariable("NODE_CHANNEL_FD"), CultureInfo.InvariantCulture, out var ipc))
            highestKept = Math.Max(highestKept, ipc);
        InheritedDescriptors.MarkCloseOnExecAbove(highestKept);
    }

    static string?[] BuildEnvironment(int pid, int listenFds)
    {
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        var env = new List<string?>();
        bool hasListenFds = listenFds > 0;
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name is "LISTEN_PID" or "SYSTEMD_EXEC_PID") continue;
            if (name == "LISTEN_FDS")
            {
                if (listenFds > 0) continue; // the option is authoritative
                hasListenFds = true;
            }
            env.Add(name + "=" + (string?)e.Value);
        }
        if (listenFds > 0) env.Add("LISTEN_FDS=" + listenFds.ToString(CultureInfo.InvariantCulture));
        if (hasListenFds) env.Add("LISTEN_PID=" + pidText);
        env.Add("SYSTEMD_EXEC_PID=" + pidText);
        env.Add(null);
        return [.. env];
    }

    /// <summary>Every ignored signal back to SIG_DFL, then an empty mask on this (the exec'ing) thread.</summary>
    static void ClearRuntimeSignalState()
    {
        for (int signal = 1; signal <= SignalMax; signal++)
            if (IsSignalIgnored(signal)) ResetSignalToDefault(signal);
        UnblockAllSignalsOnThisThread();
    }

    static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine(message);
        return exitCode;
    }
}
