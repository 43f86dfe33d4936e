using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Kernel32;

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
    /// <summary>Runs `<paramref name="program"/> daemon`; returns its pid, or null when Wine does not say it.</summary>
    /// <exception cref="Win32Exception">CreateProcessW failed.</exception>
    public static int? LaunchDaemon(string program)
    {
        if (!IsWine()) return Launch($"\"{program}\" daemon");
        // Wine forks every process it creates from its creator and keeps the creator's Unix fd 2
        // (Wine's own debug channel) whatever the Windows handles say: the daemon would hold the
        // stderr of whoever ran this CLI for its whole life, and `out=$(wine pmx.exe up 2>&1)` or a
        // test reading stderr would never see end of file. Wine runs Unix programs too, so under
        // Wine the daemon starts through /bin/sh, which points fds 0-2 away first. Its pid is a
        // Unix one, not Windows': the caller waits for the pipe instead.
        Launch($"\"Z:\\bin\\sh\" -c \"exec </dev/null >/dev/null 2>&1; exec \\\"${{WINELOADER:-wine}}\\\" \\\"$0\\\" daemon\" \"{program}\"");
        return null;
    }

    /// <summary>Wine's ntdll exports wine_get_version; Windows' does not.</summary>
    static bool IsWine() =>
        NativeLibrary.TryLoad("ntdll.dll", out var ntdll) && NativeLibrary.TryGetExport(ntdll, "wine_get_version", out _);

    static unsafe int Launch(string commandLine)
    {
        // Paths cannot contain '"', so quoting the program is enough for CommandLineToArgvW.
        var line = (commandLine + "\0").ToCharArray();
        var startup = new StartupInfo { Size = sizeof(StartupInfo) };
        ProcessInformation created;
        fixed (char* writable = line)
        {
            if (!CreateProcess(null, writable, 0, 0, inheritHandles: false,
                    DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP, null, null, &startup, &created))
                throw new Win32Exception();
        }
        // The handles are ours to close (SafeHandles close them with CloseHandle); the pid is all we keep.
        if (created.Process != 0) new SafeProcessHandle(created.Process, ownsHandle: true).Dispose();
        if (created.Thread != 0) new SafeWaitHandle(created.Thread, ownsHandle: true).Dispose();
        return created.ProcessId;
    }
}
