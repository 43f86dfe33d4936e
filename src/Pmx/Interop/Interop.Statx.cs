using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int AT_FDCWD = -100;
    internal const uint STATX_MODE = 0x2;
    internal const uint STATX_UID = 0x8;

    /// <summary>
    /// The head of struct statx (statx(2)): unlike struct stat, its layout is the same on every
    /// architecture, so one declaration serves x64 and arm64. The kernel fills all 256 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    internal struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }

    /// <summary>statx(2), following symlinks. Returns 0 and fills <paramref name="buffer"/>, or -1 with errno set (ENOENT…).</summary>
    [LibraryImport(Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);
}
