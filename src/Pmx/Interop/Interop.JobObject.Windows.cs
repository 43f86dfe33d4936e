using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pmx.Interop;

internal static unsafe partial class Kernel32
{
    /// <summary>JobObjectExtendedLimitInformation, whose struct is 144 bytes on x64.</summary>
    const int JobObjectExtendedLimitInformation = 9;
    const int ExtendedLimitInformationSize = 144;
    /// <summary>BasicLimitInformation.LimitFlags: after two LARGE_INTEGERs.</summary>
    const int LimitFlagsOffset = 16;
    const uint JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;

    [LibraryImport(Library, EntryPoint = "CreateJobObjectW", SetLastError = true)]
    internal static partial SafeFileHandle CreateJobObject(nint jobAttributes, char* name);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetInformationJobObject(SafeFileHandle job, int infoClass, void* info, uint length);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool AssignProcessToJobObject(SafeFileHandle job, nint process);

    [LibraryImport(Library, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool TerminateJobObject(SafeFileHandle job, uint exitCode);

    /// <summary>Closing the job's last handle kills every process in it: no tree outlives pmx.</summary>
    internal static bool SetKillOnJobClose(SafeFileHandle job)
    {
        byte* info = stackalloc byte[ExtendedLimitInformationSize];
        new Span<byte>(info, ExtendedLimitInformationSize).Clear();
        *(uint*)(info + LimitFlagsOffset) = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        return SetInformationJobObject(job, JobObjectExtendedLimitInformation, info, ExtendedLimitInformationSize);
    }
}
