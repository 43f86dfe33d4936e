using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Kernel32
{
    /// <summary>GenerateConsoleCtrlEvent's Ctrl+C; the only event Wine 8 delivers (CTRL_BREAK_EVENT fails there).</summary>
    internal const uint CTRL_C_EVENT = 0;

    /// <summary>Detaches from the console, if any. FALSE (ERROR_INVALID_PARAMETER) when there was none: harmless.</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool FreeConsole();

    /// <summary>Creates a console for this process; FALSE when it already has one.</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool AllocConsole();

    internal const int STD_INPUT_HANDLE = -10;
    internal const int STD_OUTPUT_HANDLE = -11;
    internal const int STD_ERROR_HANDLE = -12;

    /// <summary>The handle, or 0 / -1 when there is none; not to be closed.</summary>
    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint GetStdHandle(int which);

    /// <summary>FALSE unless <paramref name="handle"/> is a console handle: a file or pipe has no console mode.</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GetConsoleMode(nint handle, out uint mode);

    /// <summary>The console's window, or 0 when there is none (a detached process, or Wine without a display).</summary>
    [LibraryImport(Library)]
    internal static partial nint GetConsoleWindow();

    /// <summary>
    /// With a null handler: <paramref name="add"/> TRUE makes this process ignore Ctrl+C, FALSE makes
    /// it honour Ctrl+C again. Children inherit the setting; a CREATE_NEW_PROCESS_GROUP child starts
    /// ignoring Ctrl+C whatever its parent did, and must call this with FALSE to receive it.
    /// </summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool SetConsoleCtrlHandler(nint handler, [MarshalAs(UnmanagedType.Bool)] bool add);

    /// <summary>Sends <paramref name="ctrlEvent"/> to the processes of group <paramref name="processGroupId"/> (a group leader's pid) on this console.</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GenerateConsoleCtrlEvent(uint ctrlEvent, uint processGroupId);
}
