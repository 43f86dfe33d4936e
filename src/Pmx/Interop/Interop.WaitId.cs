using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    internal const int P_ALL = 0, P_PID = 1, P_PIDFD = 3;
    /// <summary>waitid options: report none rather than block; wait for exits; leave the child waitable (peek, reap later).</summary>
    internal const int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    /// <summary>si_code values for an exited child (siginfo.h).</summary>
    internal const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    // siginfo_t is 128 bytes; for SIGCHLD on LP64: si_code at 8, si_pid at 16, si_status at 24.
    const int SigInfoBytes = 128, SiCodeOffset = 8, SiPidOffset = 16, SiStatusOffset = 24;

    [LibraryImport(Libc, EntryPoint = "waitid", SetLastError = true)]
    private static partial int waitid(int idType, int id, byte* info, int options);

    /// <summary>What waitid(2) reported: Pid 0 with WNOHANG when no matching child has exited.</summary>
    internal readonly record struct ChildExit(int Pid, int Code, int Status);

    /// <summary>
    /// waitid(idType, id, &amp;info, options). Returns 0 and the exit it found (Pid 0 when WNOHANG
    /// found none), or -1 with errno set (ECHILD: no such child left, EINTR: retry).
    /// </summary>
    internal static int WaitId(int idType, int id, int options, out ChildExit exit)
    {
        byte* info = stackalloc byte[SigInfoBytes];
        new Span<byte>(info, SigInfoBytes).Clear(); // WNOHANG with nothing to report leaves si_pid as it was
        var result = waitid(idType, id, info, options);
        exit = result == 0 ? new ChildExit(*(int*)(info + SiPidOffset), *(int*)(info + SiCodeOffset), *(int*)(info + SiStatusOffset)) : default;
        return result;
    }
}
