using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>
/// Starts workers with posix_spawnp through the `pmx __exec` shim and signals them (pidfd, kill(2))
/// only while they are unreaped (ChildRegistry).
/// </summary>
/// <remarks>
/// Overview
/// Constraints: the worker must get exactly fds 0–2 (stdin /dev/null, stdout/stderr pipes) plus
/// the listen sockets at 3.. and the Node channel after them; it must start with default signal
/// dispositions and an empty mask (the runtime ignores SIGPIPE); it must lead its own process
/// group so one kill(-pgid) reaches its whole tree; LISTEN_PID must be its own pid, which only
/// code running inside it can know.
/// Scheme: posix_spawnp runs `pmx __exec … -- program args` with SETSIGMASK/SETSIGDEF/SETPGROUP.
/// File actions first move every source fd above all targets, then dup2 them into place, so a
/// source that already sits on a target number (fd 3 meant for fd 4) is never clobbered.
/// The shim sets LISTEN_PID/SYSTEMD_EXEC_PID and PDEATHSIG, then execvpe's the program.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class LinuxProcessHost : IProcessHost
{
    const string DevNull = "/dev/null";
    readonly string _shimPath;
    readonly ChildRegistry _children = ChildRegistry.OfThisProcess;
    // The caller is a spawn thread, never the supervisor's loop: a hung mount costs it this long, once (see DeadlinedFileChecks).
    readonly DeadlinedFileChecks _fileChecks = new(TimeSpan.FromSeconds(3));

    /// <param name="shimPath">Absolute path of the pmx binary that understands `__exec`.</param>
    public LinuxProcessHost(string shimPath)
    {
        if (!Path.IsPathRooted(shimPath))
            throw new ArgumentException($"the exec shim path must be absolute, got '{shimPath}'", nameof(shimPath));
        _shimPath = shimPath;
    }

    public SpawnedProcess Spawn(SpawnRequest request)
    {
        ValidateArguments(request);
        _fileChecks.Run(request.Argv[0], $"cwd '{request.WorkingDirectory}' and program '{request.Argv[0]}'", () => CheckFiles(request));
        // See SpawnThread: PDEATHSIG is bound to the spawning thread's lifetime.
        return request.KillWhenParentDies ? SpawnThread.Shared.Run(() => SpawnNow(request)) : SpawnNow(request);
    }

    /// <summary>Linux's stop policy: kill_signal to the worker's whole process group.</summary>
    public SignalOutcome Stop(int pid, int killSignal) => SignalGroup(pid, killSignal);

    public SignalOutcome Kill(int pid) => SignalGroup(pid, SignalNames.SIGKILL);

    public SignalOutcome SendSignal(int pid, int signal) => SignalGroup(pid, signal);

    /// <summary>The reaper: every child of this process, orphans included (ChildReaper).</summary>
    public IDisposable WatchExits(Action<int, ExitStatus> onExit) => new ChildReaper(onExit);

    /// <summary>
    /// kill(-pgid) for a worker this host spawned and has not reaped; NoSuchProcess, without any
    /// kill, once it has been reaped (its group id may belong to someone else by then). See ChildRegistry.
    /// </summary>
    public SignalOutcome SignalGroup(int processGroupId, int signal)
    {
        // kill(0) and kill(-1) mean "my group" and "every process I may signal": never what a caller wants.
        if (processGroupId <= 1)
            throw new ArgumentOutOfRangeException(nameof(processGroupId), processGroupId, "not a worker's process group");
        return _children.SignalGroup(processGroupId, signal);
    }

    /// <summary>A worker's leader through its pidfd; a reaped worker is NoSuchProcess; any other pid gets kill(2).</summary>
    public SignalOutcome Signal(int pid, int signal)
    {
        if (pid <= 0) throw new ArgumentOutOfRangeException(nameof(pid), pid, "not a process id");
        return _children.Signal(pid, signal);
    }

    static void ValidateArguments(SpawnRequest request)
    {
        if (request.Argv.Count == 0) throw new ArgumentException("Argv is empty: it needs at least the program", nameof(request));
        if (request.ListenFdNames.Count != 0 && request.ListenFdNames.Count != request.ListenSockets.Count)
            throw new ArgumentException($"{request.ListenFdNames.Count} listen fd names for {request.ListenSockets.Count} sockets", nameof(request));
    }

    /// <summary>stat/access on a path may hang on a dead mount: run only through <see cref="_fileChecks"/>.</summary>
    static void CheckFiles(SpawnRequest request)
    {
        var program = request.Argv[0];
        var cwd = request.WorkingDirectory;
        if (!Directory.Exists(cwd))
            throw new SpawnException(program, File.Exists(cwd)
                ? $"cannot start '{program}': cwd '{cwd}' is not a directory"
                : $"cannot start '{program}': cwd '{cwd}' does not exist");
        ProgramResolver.Resolve(program, cwd, request.Environment);
    }

    SpawnedProcess SpawnNow(SpawnRequest request)
    {
        int listenCount = request.ListenSockets.Count;
        int outRead = -1, outWrite = -1, errRead = -1, errWrite = -1, ipcParent = -1, ipcChild = -1;
        int addRefs = 0;
        bool succeeded = false;
        try
        {
            Check(CreateCloexecPipe(out outRead, out outWrite), request, "create the stdout pipe");
            Check(CreateCloexecPipe(out errRead, out errWrite), request, "create the stderr pipe");
            if (request.NodeIpcChannel)
                Check(CreateUnixStreamPair(out ipcParent, out ipcChild), request, "create the Node IPC socket pair");

            // (source fd in pmx, target fd in the worker)
            var moves = new List<(int Source, int Target)> { (outWrite, 1), (errWrite, 2) };
            for (int i = 0; i < listenCount; i++)
            {
                // Keep each socket's fd from being closed and reused while the child copies it.
                bool added = false;
                request.ListenSockets[i].DangerousAddRef(ref added);
                addRefs++;
                moves.Add(((int)request.ListenSockets[i].DangerousGetHandle(), 3 + i));
            }
            if (request.NodeIpcChannel) moves.Add((ipcChild, 3 + listenCount));

            var argv = ShimArgv(request, listenCount);
            var envp = BuildEnvironment(request, listenCount);
            var actions = FileActions(moves, request.WorkingDirectory);
            // Registered before the reaper can see it exit: an instant exit is still a worker's exit.
            var pid = _children.Spawn(() =>
            {
                var errno = PosixSpawnp(out int spawned, _shimPath, argv, envp, actions,
                    PosixSpawnFlags.SetSignalMask | PosixSpawnFlags.SetSignalDefault | PosixSpawnFlags.SetProcessGroup);
                return errno == 0 ? spawned : throw SpawnFailed(request, errno);
            });

            var nodeIpc = request.NodeIpcChannel ? new Sockets.Node.UnixNodeChannel(new Socket(new SafeSocketHandle(ipcParent, ownsHandle: true))) : null;
            succeeded = true;
            return new SpawnedProcess(pid, new SafeFileHandle(outRead, ownsHandle: true), new SafeFileHandle(errRead, ownsHandle: true), nodeIpc);
        }
        finally
        {
            for (int i = 0; i < addRefs; i++) request.ListenSockets[i].DangerousRelease();
            // The worker has its own copies now; ours would keep its pipes open after it exits.
            CloseFd(outWrite);
            CloseFd(errWrite);
            CloseFd(ipcChild);
            if (!succeeded)
            {
                CloseFd(outRead);
                CloseFd(errRead);
                CloseFd(ipcParent);
            }
        }
    }

    static SpawnFileAction[] FileActions(List<(int Source, int Target)> moves, string workingDirectory)
    {
        int parking = 1 + moves.Max(m => Math.Max(m.Source, m.Target));
        var actions = new List<SpawnFileAction>(moves.Count * 3 + 2);
        for (int i = 0; i < moves.Count; i++) actions.Add(SpawnFileAction.Dup2(moves[i].Source, parking + i));
        actions.Add(SpawnFileAction.OpenForReading(0, DevNull));
        for (int i = 0; i < moves.Count; i++)
        {
            // dup2 onto a different number also clears FD_CLOEXEC, which the parked copy keeps.
            actions.Add(SpawnFileAction.Dup2(parking + i, moves[i].Target));
            actions.Add(SpawnFileAction.Close(parking + i));
        }
        actions.Add(SpawnFileAction.Chdir(workingDirectory));
        return [.. actions];
    }

    string?[] ShimArgv(SpawnRequest request, int listenCount)
    {
        var argv = new List<string?> { _shimPath, ExecShim.Verb };
        if (listenCount > 0) argv.AddRange([ExecShim.ListenFdsOption, listenCount.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (request.KillWhenParentDies)
            argv.AddRange([ExecShim.PdeathsigOption, ExecShim.ParentPidOption, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        argv.Add("--");
        argv.AddRange(request.Argv);
        argv.Add(null);
        return [.. argv];
    }

    /// <summary>
    /// The request's environment with the fd-passing variables made true: the ones describing fds
    /// this spawn does not pass are removed, so a worker never trusts an inherited LISTEN_FDS.
    /// </summary>
    static string?[] BuildEnvironment(SpawnRequest request, int listenCount)
    {
        var env = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal);
        foreach (var name in (string[])["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE", "SYSTEMD_EXEC_PID"])
            env.Remove(name);
        if (listenCount > 0)
        {
            env["LISTEN_FDS"] = listenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (request.ListenFdNames.Count > 0) env["LISTEN_FDNAMES"] = string.Join(':', request.ListenFdNames);
        }
        if (request.NodeIpcChannel)
        {
            env["NODE_CHANNEL_FD"] = (3 + listenCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["NODE_CHANNEL_SERIALIZATION_MODE"] = "json";
        }
        var envp = new string?[env.Count + 1];
        int i = 0;
        foreach (var (name, value) in env) envp[i++] = name + "=" + value;
        return envp;
    }

    SpawnException SpawnFailed(SpawnRequest request, Errno errno)
    {
        var program = request.Argv[0];
        if (errno is Errno.ENOENT or Errno.EACCES && !File.Exists(_shimPath))
            return new SpawnException(program, $"cannot start '{program}': the pmx exec shim '{_shimPath}' is missing ({Describe(errno)})");
        return new SpawnException(program, $"cannot start '{program}' in '{request.WorkingDirectory}': {Describe(errno)}");
    }

    static void Check(Errno errno, SpawnRequest request, string what)
    {
        if (errno != 0) throw new SpawnException(request.Argv[0], $"cannot start '{request.Argv[0]}': cannot {what}: {Describe(errno)}");
    }

    static void CloseFd(int fd)
    {
        if (fd >= 0) new SafeFileHandle(fd, ownsHandle: true).Dispose();
    }
}
