using System.Runtime.InteropServices;

namespace Pmx.TestWorker;

static partial class Interop
{
    const int F_GETFD = 1;
    const int F_SETFD = 2;
    const int FD_CLOEXEC = 1;

    // fcntl(2) is variadic; on x86-64 and arm64 Linux an int third argument is passed exactly as
    // in a fixed-argument call, so a three-int import is sound there. Returns -1 and sets errno on failure.
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    /// <summary>
    /// Sets FD_CLOEXEC on one of our descriptors. Descriptor flags belong to this process's fd table
    /// entry, not to the shared open file, so pmx and sibling workers are unaffected.
    /// Returns false (errno in Marshal.GetLastPInvokeError) when fd is not open.
    /// </summary>
    public static bool SetCloseOnExec(int fd)
    {
        var flags = fcntl(fd, F_GETFD, 0);
        return flags >= 0 && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0;
    }
}
