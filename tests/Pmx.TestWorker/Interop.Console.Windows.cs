using System.Runtime.InteropServices;

namespace Pmx.TestWorker;

static partial class Interop
{
    [LibraryImport("kernel32.dll", EntryPoint = "SetConsoleCtrlHandler", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetConsoleCtrlHandler(nint handler, [MarshalAs(UnmanagedType.Bool)] bool add);

    /// <summary>
    /// Honours Ctrl+C again. pmx starts each Windows worker in a process group of its own
    /// (CREATE_NEW_PROCESS_GROUP), and such a process starts ignoring Ctrl+C: without this call the
    /// Ctrl+C pmx sends as a graceful stop never reaches the SIGINT handler. Returns false on failure.
    /// </summary>
    public static bool AcceptCtrlC() => SetConsoleCtrlHandler(0, add: false);
}
