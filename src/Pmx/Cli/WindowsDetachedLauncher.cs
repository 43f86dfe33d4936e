using System.ComponentModel;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Cli;

/// <summary>Starts `pmx daemon` on Windows: detached from the CLI's console, its group and its handles.</summary>
/// <remarks>
/// DETACHED_PROCESS: no console, so closing the terminal (CTRL_CLOSE) or a Ctrl+C there never
/// reaches the daemon; CREATE_NEW_PROCESS_GROUP keeps it out of the CLI's group as well. No handle
/// is inherited (bInheritHandles = FALSE, not what Process.Start does): an inherited stdout would
/// keep the pipe of whoever ran the CLI open for the daemon's whole life, so `$(pmx up)` in a
/// script, or a test reading the CLI's output, would never see end of file. The daemon therefore
/// has no standard handles and opens daemon.log itself (DaemonLogWriter). It inherits the CLI's
/// environment and working directory, as on Linux.
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class WindowsDetachedLauncher
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; returns its pid.</summary>
    /// <exception cref="Win32Exception">CreateProcessW failed.</exception>
    public static unsafe int Launch(string program, string arguments)
    {
        // Paths cannot contain '"', so quoting the program is enough for CommandLineToArgvW.
        var commandLine = $"\"{program}\" {arguments}\0".ToCharArray();
        var startup = new STARTUPINFOW { cb = (uint)sizeof(STARTUPINFOW) };
        PROCESS_INFORMATION created;
        fixed (char* line = commandLine)
        {
            if (!CreateProcessW(null, line, IntPtr.Zero, IntPtr.Zero, inheritHandles: false,
                    DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP, IntPtr.Zero, null, startup, out created))
                throw new Win32Exception();
        }
        // The handles are ours to close (SafeHandles close them with CloseHandle); the pid is all we keep.
        new SafeProcessHandle(created.hProcess, ownsHandle: true).Dispose();
        new SafeWaitHandle(created.hThread, ownsHandle: true).Dispose();
        return (int)created.dwProcessId;
    }
}
