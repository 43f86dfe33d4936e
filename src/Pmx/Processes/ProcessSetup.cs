using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>Process-wide settings the daemon (or foreground supervisor) applies once at start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ProcessSetup
{
    /// <summary>
    /// Puts SIGCHLD back to SIG_DFL when pmx inherited it ignored: with SIG_IGN the kernel reaps
    /// children itself, waitpid fails with ECHILD and every exit code is lost. A handler that is
    /// already installed (the runtime's, for PosixSignalRegistration) is left alone.
    /// </summary>
    public static void ResetSigchldToDefault()
    {
        if (IsSignalIgnored(SignalNames.SIGCHLD)) ResetSignalToDefault(SignalNames.SIGCHLD);
    }

    /// <summary>
    /// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants (a worker's daemonised children) are
    /// re-parented to pmx instead of init, so pmx can reap them. False when the kernel refuses.
    /// </summary>
    public static bool TryBecomeSubreaper() => prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    public static int CurrentPid => Environment.ProcessId;

    /// <summary>setsid(): detach from the terminal's session. Throws when already a group leader.</summary>
    public static void CreateNewSession()
    {
        if (setsid() < 0)
            throw new InvalidOperationException($"cannot create a new session: {Describe(LastError)}");
    }
}
