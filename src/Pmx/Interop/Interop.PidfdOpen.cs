using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    // Same number on x86_64 and aarch64 (the generic syscall table); Linux 5.3+.
    const nint PidfdOpenSyscall = 434;

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall_pidfd_open(nint number, int pid, uint flags);

    /// <summary>
    /// pidfd_open(pid, 0): a descriptor that refers to this one process for as long as it is open,
    /// whatever later happens to the pid number. Close-on-exec by definition. Returns the fd, or -1
    /// with errno set (ENOSYS before Linux 5.3, ESRCH when no such process).
    /// </summary>
    internal static int pidfd_open(int pid) => (int)syscall_pidfd_open(PidfdOpenSyscall, pid, 0);
}
