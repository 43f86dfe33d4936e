using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    internal const int AT_FDCWD = -100;
    const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_INO = 0x100;

    /// <summary>
    /// The part of struct statx pmx reads. Unlike struct stat, statx has one layout on every
    /// architecture (linux/stat.h): 256 bytes, nlink at 16, uid at 20, gid at 24, mode at 28,
    /// ino at 32, dev major/minor at 136/140. The kernel fills all 256 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(16)] public uint Nlink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    /// <summary>statx(2) (Linux 4.11, glibc 2.28), following symlinks. Returns 0, or -1 with errno set (ENOENT…).</summary>
    [LibraryImport(Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>Which file an open descriptor or a path names: device, inode, and how many names it has left.</summary>
    internal readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode, uint Links)
    {
        public bool IsSameFileAs(FileIdentity other) => DevMajor == other.DevMajor && DevMinor == other.DevMinor && Inode == other.Inode;
    }

    /// <summary>The identity of an open file (statx with AT_EMPTY_PATH); null if the kernel cannot say.</summary>
    internal static FileIdentity? TryIdentify(SafeHandle fd)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return statx((int)fd.DangerousGetHandle(), "", AT_EMPTY_PATH, STATX_NLINK | STATX_INO, out var b) == 0
                ? new FileIdentity(b.DevMajor, b.DevMinor, b.Ino, b.Nlink) : null;
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }

    /// <summary>The identity of the file a path names now (following symlinks); null if there is none.</summary>
    internal static FileIdentity? TryIdentify(string path) =>
        statx(AT_FDCWD, path, 0, STATX_NLINK | STATX_INO, out var b) == 0
            ? new FileIdentity(b.DevMajor, b.DevMinor, b.Ino, b.Nlink) : null;
}
