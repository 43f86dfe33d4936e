using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>
    /// The Linux errno values pmx reacts to (asm-generic numbering, shared by x86_64 and aarch64).
    /// Imports that set errno are declared with SetLastError = true; read it with <see cref="LastError"/>.
    /// </summary>
    internal enum Errno
    {
        EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16,
        EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24,
        ETXTBSY = 26, ENOSPC = 28, EPIPE = 32, ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40,
        ECONNRESET = 104, ETIMEDOUT = 110, ECONNREFUSED = 111,
    }

    /// <summary>errno left by the last import declared with SetLastError = true.</summary>
    internal static Errno LastError => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>"no such file or directory (ENOENT)": strerror in lower case, then the C name.</summary>
    internal static string Describe(Errno errno)
    {
        var text = Marshal.GetPInvokeErrorMessage((int)errno);
        if (text.Length > 0 && char.IsUpper(text[0]) && (text.Length == 1 || !char.IsUpper(text[1])))
            text = char.ToLowerInvariant(text[0]) + text[1..];
        var name = Enum.IsDefined(errno) ? errno.ToString() : $"errno {(int)errno}";
        return $"{text} ({name})";
    }
}
