using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pmx.Interop;

internal static unsafe partial class Kernel32
{
    internal const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    internal const uint PROCESS_VM_READ = 0x0010;
    internal const uint PROCESS_TERMINATE = 0x0001;
    internal const uint STILL_ACTIVE = 259;

    /// <summary>An invalid handle (GetLastError set) when the process is gone or not ours to query.</summary>
    [LibraryImport(Library, SetLastError = true)]
    internal static partial SafeProcessHandle OpenProcess(uint desiredAccess, [MarshalAs(UnmanagedType.Bool)] bool inheritHandle, int processId);

    /// <summary>Kernel and user times are FILETIME counts of 100 ns.</summary>
    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GetProcessTimes(SafeProcessHandle process, out long creationTime, out long exitTime, out long kernelTime, out long userTime);

    /// <summary>PROCESS_MEMORY_COUNTERS (72 bytes on x64); WorkingSetSize is what `list` calls memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcessMemoryCounters
    {
        public uint Size;
        public uint PageFaultCount;
        public nuint PeakWorkingSetSize;
        public nuint WorkingSetSize;
        public nuint QuotaPeakPagedPoolUsage;
        public nuint QuotaPagedPoolUsage;
        public nuint QuotaPeakNonPagedPoolUsage;
        public nuint QuotaNonPagedPoolUsage;
        public nuint PagefileUsage;
        public nuint PeakPagefileUsage;
    }

    /// <summary>psapi's GetProcessMemoryInfo, exported by kernel32 as K32GetProcessMemoryInfo since Windows 7.</summary>
    [LibraryImport(Library, EntryPoint = "K32GetProcessMemoryInfo", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool GetProcessMemoryInfo(SafeProcessHandle process, ProcessMemoryCounters* counters, uint size);
}
