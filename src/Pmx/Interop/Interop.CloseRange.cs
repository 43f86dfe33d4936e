using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>close_range(2) flag: mark the range close-on-exec instead of closing it now.</summary>
    internal const uint CLOSE_RANGE_CLOEXEC = 4;

    // Same number on x86_64 and aarch64 (the generic syscall table); Linux 5.9+, CLOEXEC flag 5.11+.
    const nint CloseRangeSyscall = 436;

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall_close_range(nint number, uint first, uint last, uint flags);

    /// <summary>close_range(first, last, flags). Returns 0, or -1 with errno (ENOSYS on kernels before
    /// 5.9; EINVAL for CLOSE_RANGE_CLOEXEC before 5.11, or when a seccomp filter rejects it).</summary>
    internal static int close_range(uint first, uint last, uint flags) =>
        (int)syscall_close_range(CloseRangeSyscall, first, last, flags);
}
