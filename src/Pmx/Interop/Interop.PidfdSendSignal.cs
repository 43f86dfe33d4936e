using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    // Same number on x86_64 and aarch64 (the generic syscall table); Linux 5.1+.
    const nint PidfdSendSignalSyscall = 424;

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall_pidfd_send_signal(nint number, SafeHandle pidfd, int signal, nint info, uint flags);

    /// <summary>
    /// pidfd_send_signal(pidfd, signal, NULL, 0): signals exactly the process the pidfd refers to.
    /// Returns 0, or -1 with errno set (ESRCH once it has been reaped, EPERM, ENOSYS before 5.1).
    /// </summary>
    internal static int pidfd_send_signal(SafeHandle pidfd, int signal) =>
        (int)syscall_pidfd_send_signal(PidfdSendSignalSyscall, pidfd, signal, 0, 0);
}
