using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    // Overview
    // posix_spawn needs two opaque glibc structs filled through their own functions. Callers describe
    // what they want as plain values (SpawnFileAction, PosixSpawnFlags) and PosixSpawnp builds,
    // uses and frees the structs in one call, so nothing above Interop touches native memory.
    // Sizes on glibc x86_64: posix_spawn_file_actions_t 80 B, posix_spawnattr_t 336 B; the buffers
    // are generous so an ABI growth cannot overrun them.
    const int FileActionsBytes = 256;
    const int SpawnAttrBytes = 1024;

    const int OpenReadOnly = 0x0;                          // O_RDONLY
    const int OpenWriteAppendCreate = 0x1 | 0x40 | 0x400;  // O_WRONLY | O_CREAT | O_APPEND

    /// <summary>glibc posix_spawnattr flags (glibc ≥ 2.26).</summary>
    [Flags]
    internal enum PosixSpawnFlags : short
    {
        SetProcessGroup = 0x02,   // POSIX_SPAWN_SETPGROUP
        SetSignalDefault = 0x04,  // POSIX_SPAWN_SETSIGDEF
        SetSignalMask = 0x08,     // POSIX_SPAWN_SETSIGMASK
        SetSession = 0x80,        // POSIX_SPAWN_SETSID
    }

    internal enum SpawnFileActionKind { Open, Dup2, Close, Chdir }

    /// <summary>One step the child performs, in order, before exec.</summary>
    internal readonly record struct SpawnFileAction(SpawnFileActionKind Kind, int Fd, int SourceFd, string? Path, int Flags, int Mode)
    {
        public static SpawnFileAction OpenForReading(int fd, string path) => new(SpawnFileActionKind.Open, fd, -1, path, OpenReadOnly, 0);
        public static SpawnFileAction OpenForAppending(int fd, string path, int mode) => new(SpawnFileActionKind.Open, fd, -1, path, OpenWriteAppendCreate, mode);
        public static SpawnFileAction Dup2(int sourceFd, int targetFd) => new(SpawnFileActionKind.Dup2, targetFd, sourceFd, null, 0, 0);
        public static SpawnFileAction Close(int fd) => new(SpawnFileActionKind.Close, fd, -1, null, 0, 0);
        public static SpawnFileAction Chdir(string path) => new(SpawnFileActionKind.Chdir, -1, -1, path, 0, 0);
    }

    /// <summary>
    /// posix_spawnp(3). Returns 0 and the pid, or an errno value directly (it does not set errno):
    /// ENOENT/EACCES/ENOEXEC when the file cannot be executed, or whatever a file action hit.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawnp(out int pid, string file, void* fileActions, void* attr, string?[] argv, string?[] envp);

    // Each of these returns 0 or an errno value directly.
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int posix_spawn_file_actions_init(void* fileActions);
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int posix_spawn_file_actions_destroy(void* fileActions);
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, string path, int flags, int mode);
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addclose")]
    private static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);
    /// <summary>glibc ≥ 2.29: chdir in the child before exec.</summary>
    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, string path);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    private static partial int posix_spawnattr_init(void* attr);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    private static partial int posix_spawnattr_destroy(void* attr);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    private static partial int posix_spawnattr_setflags(void* attr, short flags);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int posix_spawnattr_setsigmask(void* attr, void* sigmask);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int posix_spawnattr_setsigdefault(void* attr, void* sigdefault);
    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setpgroup")]
    private static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    /// <summary>
    /// Spawns <paramref name="file"/> (searched on this process's PATH when it has no slash) with
    /// the file actions applied in order. With SetSignalMask the mask is empty; with SetSignalDefault
    /// every signal is reset to SIG_DFL; with SetProcessGroup the child leads a new group.
    /// Returns 0 and the pid, or the errno of whatever failed.
    /// </summary>
    internal static Errno PosixSpawnp(out int pid, string file, string?[] argv, string?[] envp,
        ReadOnlySpan<SpawnFileAction> actions, PosixSpawnFlags flags)
    {
        pid = 0;
        void* fa = NativeMemory.AllocZeroed(FileActionsBytes);
        void* attr = NativeMemory.AllocZeroed(SpawnAttrBytes);
        byte* sigmask = stackalloc byte[SigSetBytes];
        byte* sigdefault = stackalloc byte[SigSetBytes];
        bool faReady = false, attrReady = false;
        try
        {
            int rc = posix_spawn_file_actions_init(fa);
            if (rc != 0) return (Errno)rc;
            faReady = true;
            foreach (var a in actions)
            {
                rc = a.Kind switch
                {
                    SpawnFileActionKind.Open => posix_spawn_file_actions_addopen(fa, a.Fd, a.Path!, a.Flags, a.Mode),
                    SpawnFileActionKind.Dup2 => posix_spawn_file_actions_adddup2(fa, a.SourceFd, a.Fd),
                    SpawnFileActionKind.Close => posix_spawn_file_actions_addclose(fa, a.Fd),
                    SpawnFileActionKind.Chdir => posix_spawn_file_actions_addchdir_np(fa, a.Path!),
                    _ => (int)Errno.EINVAL,
                };
                if (rc != 0) return (Errno)rc;
            }

            rc = posix_spawnattr_init(attr);
            if (rc != 0) return (Errno)rc;
            attrReady = true;
            sigemptyset(sigmask);
            sigfillset(sigdefault);
            if ((rc = posix_spawnattr_setflags(attr, (short)flags)) != 0) return (Errno)rc;
            if ((rc = posix_spawnattr_setsigmask(attr, sigmask)) != 0) return (Errno)rc;
            if ((rc = posix_spawnattr_setsigdefault(attr, sigdefault)) != 0) return (Errno)rc;
            if ((rc = posix_spawnattr_setpgroup(attr, 0)) != 0) return (Errno)rc;

            return (Errno)posix_spawnp(out pid, file, fa, attr, argv, envp);
        }
        finally
        {
            if (attrReady) posix_spawnattr_destroy(attr);
            if (faReady) posix_spawn_file_actions_destroy(fa);
            NativeMemory.Free(attr);
            NativeMemory.Free(fa);
        }
    }
}
