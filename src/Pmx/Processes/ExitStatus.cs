namespace Pmx.Processes;

/// <summary>
/// How a process ended: exactly one of <see cref="ExitCode"/> and <see cref="TermSignal"/> is set,
/// or neither for <see cref="Unknown"/> (an adopted worker that no pmx process could reap).
/// </summary>
public readonly record struct ExitStatus(int? ExitCode, int? TermSignal)
{
    /// <summary>
    /// Decodes a waitpid(2) status word (glibc's WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG):
    /// the low 7 bits are the terminating signal (0 = exited normally), bits 8–15 the exit code.
    /// Stopped/continued statuses never reach us because pmx waits without WUNTRACED/WCONTINUED.
    /// </summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        int signal = status & 0x7f;
        if (signal == 0) return Exited((status >> 8) & 0xff);
        if (signal != 0x7f) return KilledBy(signal);
        throw new ArgumentOutOfRangeException(nameof(status), status, "a stopped-child status is not an exit");
    }

    /// <summary>Decodes waitid(2)'s si_code and si_status: an exit code, or the signal that killed it.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static ExitStatus FromChildExit(int code, int status) => code switch
    {
        Interop.Interop.CLD_EXITED => Exited(status),
        Interop.Interop.CLD_KILLED or Interop.Interop.CLD_DUMPED => KilledBy(status),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not an exit (waitid without WEXITED?)"),
    };

    public static ExitStatus Exited(int code) => new(code, null);
    /// <summary>The exit of a worker reaped by someone else (init, after the keeper was killed): it ended, how is not known.</summary>
    public static readonly ExitStatus Unknown = new(null, null);
    public static ExitStatus KilledBy(int signal) => new(null, signal);

    /// <summary>The code a shell would report: the exit code, or 128 + N for a process killed by signal N.</summary>
    public int ShellCode => ExitCode ?? 128 + (TermSignal ?? 0);

    /// <summary>"exited 3" or "killed by SIGKILL".</summary>
    public string Describe() => ExitCode is { } code ? $"exited {code}"
        : TermSignal is { } signal ? $"killed by {SignalNames.NameOf(signal)}"
        : "exited (status unknown: it was reaped outside pmx after its keeper died)";

    public override string ToString() => Describe();
}
