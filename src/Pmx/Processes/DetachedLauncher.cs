using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>Starts the background daemon: a new session, no terminal, output appended to a log file.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class DetachedLauncher
{
    const int LogFileMode = 0x180; // 0600: the daemon log may show app names, paths and errors

    /// <summary>
    /// posix_spawnp with SETSID (no controlling terminal, out of the CLI's process group, so the
    /// shell's Ctrl-C and hang-up never reach it), default signal dispositions, an empty mask,
    /// stdin from /dev/null, stdout and stderr appended to <paramref name="stdoutStderrPath"/>
    /// (created 0600). The working directory is inherited. Returns the daemon's pid; the caller
    /// does not need to reap it (it is re-parented to init when the CLI exits).
    /// </summary>
    /// <param name="fd3">A descriptor to place at fd 3 of the new process (-1: none).</param>
    public static int Launch(IReadOnlyList<string> argv, string stdoutStderrPath, IReadOnlyDictionary<string, string> environment, int fd3 = -1)
    {
        if (argv.Count == 0) throw new ArgumentException("argv is empty: it needs at least the program", nameof(argv));
        var program = argv[0];
        var cwd = Environment.CurrentDirectory;
        // posix_spawnp would search pmx's own PATH; resolve against the given environment instead.
        var file = ProgramResolver.Resolve(program, cwd, environment);
        var logDir = Path.GetDirectoryName(Path.GetFullPath(stdoutStderrPath));
        if (logDir != null && !Directory.Exists(logDir))
            throw new SpawnException(program, $"cannot start '{program}': log folder '{logDir}' does not exist");

        var argvNative = new string?[argv.Count + 1];
        for (int i = 0; i < argv.Count; i++) argvNative[i] = argv[i];
        var envp = new string?[environment.Count + 1];
        int n = 0;
        foreach (var (name, value) in environment) envp[n++] = name + "=" + value;

        var parking = Math.Max(fd3, 3) + 1;
        ReadOnlySpan<SpawnFileAction> actions = fd3 < 0
            ? [
                SpawnFileAction.OpenForReading(0, "/dev/null"),
                SpawnFileAction.OpenForAppending(1, stdoutStderrPath, LogFileMode),
                SpawnFileAction.Dup2(1, 2),
            ]
            : [
                // Parked first, so the log's open cannot take its number; dup2 onto 3 clears FD_CLOEXEC.
                SpawnFileAction.Dup2(fd3, parking),
                SpawnFileAction.OpenForReading(0, "/dev/null"),
                SpawnFileAction.OpenForAppending(1, stdoutStderrPath, LogFileMode),
                SpawnFileAction.Dup2(1, 2),
                SpawnFileAction.Dup2(parking, 3),
                SpawnFileAction.Close(parking),
            ];
        var errno = PosixSpawnp(out int pid, file, argvNative, envp, actions,
            PosixSpawnFlags.SetSession | PosixSpawnFlags.SetSignalDefault | PosixSpawnFlags.SetSignalMask);
        if (errno != 0)
            throw new SpawnException(program, $"cannot start '{program}' (log '{stdoutStderrPath}'): {Describe(errno)}");
        return pid;
    }
}
