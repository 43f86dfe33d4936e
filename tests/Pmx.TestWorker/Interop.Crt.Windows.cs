using System.Runtime.InteropServices;

namespace Pmx.TestWorker;

static partial class Interop
{
    /// <summary>
    /// The OS handle behind a C runtime fd. Node's IPC channel reaches a Windows child as a CRT fd
    /// (NODE_CHANNEL_FD) in STARTUPINFO's lpReserved2 block, which the CRT of the process reads at
    /// start-up; -1 when the fd is not open.
    /// </summary>
    [LibraryImport("ucrtbase.dll", EntryPoint = "_get_osfhandle")]
    public static partial nint GetOsHandle(int fd);
}
