using static Pmx.Interop.Interop;

namespace Pmx.Cli;

/// <summary>
/// Whether only root can change what a path leads to: the check a unit running as root needs for
/// the files it trusts (the pmx binary it executes, the PMX_HOME whose dump it resurrects), in
/// the spirit of OpenSSH's secure_filename. The path and every folder above it must belong to root
/// and be writable by no one else; a sticky folder such as /tmp is fine, since its other users
/// cannot rename what root owns inside it. Folders that do not exist yet are skipped: root will
/// create them.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class RootOnlyPath
{
    const ushort GroupOrOtherWrite = 0b000_010_010; // 0022
    const ushort Sticky = 0b001_000_000_000;        // 01000

    /// <summary>Why someone other than root could change <paramref name="path"/>, or null when no one can.</summary>
    public static string? WhyNot(string path)
    {
        var full = Path.GetFullPath(path);
        for (var current = full; current is not null; current = Path.GetDirectoryName(current))
        {
            if (statx(AT_FDCWD, current, 0, STATX_MODE | STATX_UID, out var st) != 0)
            {
                var errno = LastError;
                if (errno == Errno.ENOENT) continue;
                return $"{current} cannot be checked: {Describe(errno)}";
            }
            if (st.Uid != 0) return $"{current} belongs to uid {st.Uid}, not root";
            var isFolderAbove = current != full;
            if ((st.Mode & GroupOrOtherWrite) != 0 && !(isFolderAbove && (st.Mode & Sticky) != 0))
                return $"{current} is writable by users other than root (mode {Convert.ToString(st.Mode & 0xFFF, 8)})";
        }
        return null;
    }
}
