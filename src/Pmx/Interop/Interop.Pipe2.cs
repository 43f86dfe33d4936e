using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    const int Pipe2Cloexec = 0x80000; // O_CLOEXEC

    /// <summary>pipe2(2). Fills fds[0] (read end) and fds[1] (write end); returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int pipe2(int* fds, int flags);

    /// <summary>A blocking pipe whose both ends are close-on-exec (a child receives one only through dup2).</summary>
    internal static Errno CreateCloexecPipe(out int readFd, out int writeFd)
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, Pipe2Cloexec) != 0)
        {
            readFd = writeFd = -1;
            return LastError;
        }
        readFd = fds[0];
        writeFd = fds[1];
        return 0;
    }
}
