using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Kernel32
{
    internal const uint DETACHED_PROCESS = 0x8;
    internal const uint CREATE_NEW_PROCESS_GROUP = 0x200;
    internal const uint CREATE_SUSPENDED = 0x4;
    internal const uint CREATE_UNICODE_ENVIRONMENT = 0x400;
    internal const uint CREATE_NO_WINDOW = 0x08000000;
    internal const uint STARTF_USESTDHANDLES = 0x100;

    /// <summary>STARTUPINFOW (104 bytes on x64); cbReserved2/lpReserved2 carry the CRT's inherited fd table.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StartupInfo
    {
        public int Size;
        public nint Reserved;
        public nint Desktop;
        public nint Title;
        public int X, Y, XSize, YSize, XCountChars, YCountChars, FillAttribute;
        public uint Flags;
        public ushort ShowWindow;
        public ushort CrtBlockSize;
        public byte* CrtBlock;
        public nint StdInput;
        public nint StdOutput;
        public nint StdError;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcessInformation
    {
        public nint Process;
        public nint Thread;
        public int ProcessId;
        public int ThreadId;
    }

    [LibraryImport(Library, EntryPoint = "CreateProcessW", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool CreateProcess(char* applicationName, char* commandLine, nint processAttributes, nint threadAttributes,
        [MarshalAs(UnmanagedType.Bool)] bool inheritHandles, uint creationFlags, char* environment, char* currentDirectory,
        StartupInfo* startupInfo, ProcessInformation* processInformation);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial uint ResumeThread(nint thread);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool TerminateProcess(nint process, uint exitCode);
}
