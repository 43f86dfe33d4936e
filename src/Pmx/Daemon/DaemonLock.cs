using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Daemon;

/// <summary>
/// The one-daemon-per-PMX_HOME guarantee: an exclusive flock(2) on PMX_HOME/daemon.lock (on
/// Windows, the file opened without sharing), held for the daemon's whole life.
/// </summary>
/// <remarks>
/// Two CLIs that find no daemon at the same instant both start one; probing the control socket
/// cannot decide between them (neither listens yet), the kernel's lock can. It is released by the
/// kernel when the daemon dies, however it dies, so a crash never leaves a stale lock. The fd is
/// close-on-exec: a worker that inherited it would keep the lock after the daemon died. The lock
/// is taken with flock directly rather than through File.OpenHandle's FileShare emulation, which
/// an environment variable (DOTNET_SYSTEM_IO_DISABLEFILELOCKING) can turn off.
/// </remarks>
internal sealed class DaemonLock : IDisposable
{
    const int OwnerReadWrite = 0x180; // 0600

    readonly SafeFileHandle _file;

    DaemonLock(SafeFileHandle file) => _file = file;

    /// <summary>The lock, or null when another process holds it. Throws IOException when the file cannot be opened or locked.</summary>
    public static DaemonLock? TryAcquire(string path)
    {
        if (OperatingSystem.IsWindows()) return TryAcquireExclusiveOpen(path);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("pmx's daemon lock needs Linux or Windows");
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, OwnerReadWrite);
        if (fd < 0) throw new IOException($"pmx: cannot open the daemon lock file {path}: {Describe(LastError)}");
        var file = new SafeFileHandle(fd, ownsHandle: true);
        while (flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            var errno = LastError;
            if (errno == Errno.EINTR) continue;
            file.Dispose();
            if (errno == Errno.EAGAIN) return null;
            throw new IOException($"pmx: cannot lock {path}: {Describe(errno)}");
        }
        return new DaemonLock(file);
    }

    /// <summary>
    /// Windows has no flock: the file opened with no sharing is the lock. Windows closes the handle
    /// when the daemon dies, and handles are not inherited by workers unless asked for.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    static DaemonLock? TryAcquireExclusiveOpen(string path)
    {
        try
        {
            return new DaemonLock(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is ErrorSharingViolation or ErrorLockViolation)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"pmx: cannot open the daemon lock file {path}: {e.Message}", e);
        }
    }

    const int ErrorSharingViolation = 32, ErrorLockViolation = 33;

    public void Dispose() => _file.Dispose();
}
