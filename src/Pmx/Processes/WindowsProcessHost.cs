using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Pmx.Interop;
using Pmx.Sockets.Handoff;
using Pmx.Sockets.Node;

namespace Pmx.Processes;

/// <summary>
/// Workers on Windows: each created suspended, put in its own Job Object (KILL_ON_JOB_CLOSE, so
/// its whole tree dies with it, and with pmx), then resumed. stdin is NUL, stdout/stderr are
/// anonymous pipes, and Node's IPC channel is a named pipe handed over as CRT fd 3 (CrtFdBlock).
/// </summary>
/// <remarks>
/// Overview
/// There are no signals: a graceful stop of node is a NODE_PMX_STOP message on its Node channel,
/// which pmx's preload turns into the app's own handler for kill_signal; any other worker gets
/// Ctrl+C on the console it shares with pmx (WindowsConsoleStop), which the app must have opted
/// into; without either the supervisor kills it after kill_timeout. Kill is
/// TerminateJobObject. The exit is a wait on the process handle; before it is reported, what is
/// left in the job is terminated and the job closed, so a later Kill is NoSuchProcess, as on Linux.
/// pmx holds the process handle until then, so the pid cannot be reused under a live entry.
/// Inheritable handles exist only between their creation and CreateProcess, under one lock, so a
/// worker never inherits another worker's pipes.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsProcessHost : IProcessHost
{
    /// <summary>The exit code TerminateJobObject gives; reported as "killed by SIGKILL" when pmx killed it.</summary>
    const uint KilledExitCode = 137;

    readonly Lock _gate = new();
    readonly Dictionary<int, Entry> _workers = [];
    readonly WindowsConsoleStop _console = new();
    Action<int, ExitStatus>? _onExit;

    /// <summary>How a worker is asked to stop, decided when it starts.</summary>
    enum GracefulStop
    {
        /// <summary>STOP on its hand-off pipe: a Pmx.Hosting app (a cluster app that is not node).</summary>
        HandoffPipe,
        /// <summary>NODE_PMX_STOP on its Node channel: only node runs pmx's preload, which understands it.</summary>
        NodeMessage,
        /// <summary>Ctrl+C: it was created on pmx's console in a process group of its own.</summary>
        CtrlC,
        /// <summary>Nothing reaches it: killed after kill_timeout.</summary>
        None,
    }

    sealed class Entry(SafeWaitHandle process, SafeFileHandle job, INodeChannel? channel, WorkerHandoffPipe? handoff, GracefulStop stop)
    {
        public GracefulStop Stop { get; } = stop;
        public WorkerHandoffPipe? Handoff { get; } = handoff;
        public SafeWaitHandle Process { get; } = process;
        public SafeFileHandle Job { get; } = job;
        public INodeChannel? Channel { get; } = channel;
        public bool KilledByPmx { get; set; }
        public RegisteredWaitHandle? Wait { get; set; }
    }

    public SpawnedProcess Spawn(SpawnRequest request)
    {
        if (request.Argv.Count == 0) throw new ArgumentException("Argv is empty: it needs at least the program", nameof(request));
        var program = request.Argv[0];
        if (!Directory.Exists(request.WorkingDirectory))
            throw new SpawnException(program, $"cannot start '{program}': cwd '{request.WorkingDirectory}' does not exist");
        var resolved = WindowsProgramResolver.Resolve(program, request.WorkingDirectory, request.Environment);
        var (application, commandLine) = WindowsProgramResolver.CommandLine(resolved, request.Argv, request.Environment);

        SafeFileHandle? outRead = null, outWrite = null, errRead = null, errWrite = null, stdin = null;
        NamedPipeServerStream? ipcDaemon = null;
        NamedPipeClientStream? ipcWorker = null;
        // No fd 3 on Windows: a listening socket goes over the worker's hand-off pipe (Pmx.Hosting takes it there).
        var handoff = request.ListenSockets.Count > 0 ? WorkerHandoffPipe.Create(request.ListenSockets[0]) : null;
        var succeeded = false;
        // Outside the gate: the first spawn may wait for pmx's console.
        var consoleFlags = _console.WorkerCreationFlags();
        try
        {
            lock (_gate)
            {
                (outRead, outWrite) = InheritablePipe(program, "stdout");
                (errRead, errWrite) = InheritablePipe(program, "stderr");
                stdin = File.OpenHandle("NUL", FileMode.Open, FileAccess.Read);
                MakeInheritable(stdin, program);
                var fds = new List<(long, byte)>
                {
                    (stdin.DangerousGetHandle(), CrtFdBlock.Open | CrtFdBlock.Device),
                    (outWrite.DangerousGetHandle(), CrtFdBlock.Open | CrtFdBlock.Pipe),
                    (errWrite.DangerousGetHandle(), CrtFdBlock.Open | CrtFdBlock.Pipe),
                };
                if (request.NodeIpcChannel)
                {
                    (ipcDaemon, ipcWorker) = WindowsNodeChannel.CreatePipePair();
                    fds.Add((ipcWorker.SafePipeHandle.DangerousGetHandle(), CrtFdBlock.Open | CrtFdBlock.Pipe));
                }
                var environment = WindowsCommandLine.EnvironmentBlock(Environment(request, fds.Count - 1, handoff?.Name));
                var (pid, process) = CreateSuspendedInJob(program, application, commandLine, environment, request.WorkingDirectory,
                    CrtFdBlock.Build(fds), consoleFlags, stdin, outWrite, errWrite, out var job);
                INodeChannel? channel = ipcDaemon is null ? null : WindowsNodeChannel.For(ipcDaemon, pid);
                var entry = new Entry(process, job, channel, handoff, StopFor(application, channel, handoff, consoleFlags));
                _workers[pid] = entry;
                handoff?.Begin(pid);
                Watch(pid, entry);
                succeeded = true;
                return new SpawnedProcess(pid, outRead, errRead, channel) { Handoff = handoff };
            }
        }
        finally
        {
            // The worker holds its own copies; ours would keep its pipes open after it exits.
            outWrite?.Dispose();
            errWrite?.Dispose();
            stdin?.Dispose();
            ipcWorker?.Dispose();
            if (!succeeded)
            {
                outRead?.Dispose();
                errRead?.Dispose();
                ipcDaemon?.Dispose();
                handoff?.Dispose();
            }
        }
    }

    public SignalOutcome Stop(int pid, int killSignal)
    {
        Entry? entry;
        lock (_gate)
            if (!_workers.TryGetValue(pid, out entry)) return SignalOutcome.NoSuchProcess;
        return entry.Stop switch
        {
            GracefulStop.HandoffPipe => entry.Handoff!.SendStop() ? SignalOutcome.Delivered : SignalOutcome.NotSupported,
            GracefulStop.NodeMessage => entry.Channel!.Send(NodeStopMessage.For(killSignal)) ? SignalOutcome.Delivered : SignalOutcome.NotSupported,
            GracefulStop.CtrlC => _console.SendCtrlC(pid),
            _ => SignalOutcome.NotSupported,
        };
    }

    /// <summary>
    /// A channel nobody reads is no way to stop a worker: every worker gets one (any program may
    /// speak Node's protocol), but only node reads it for sure and runs pmx's preload, which
    /// understands the stop message. A worker given a hand-off pipe is no Node app (ListenSocketFor);
    /// one that never took its pipe is killed after kill_timeout. Every other worker gets Ctrl+C when it can.
    /// </summary>
    static GracefulStop StopFor(string application, INodeChannel? channel, WorkerHandoffPipe? handoff, uint consoleFlags) =>
        handoff is not null ? GracefulStop.HandoffPipe
        : channel is not null && Path.GetFileNameWithoutExtension(application).Equals("node", StringComparison.OrdinalIgnoreCase) ? GracefulStop.NodeMessage
        : consoleFlags == Kernel32.CREATE_NEW_PROCESS_GROUP ? GracefulStop.CtrlC
        : GracefulStop.None;

    public SignalOutcome Kill(int pid)
    {
        lock (_gate)
        {
            if (!_workers.TryGetValue(pid, out var entry)) return SignalOutcome.NoSuchProcess;
            entry.KilledByPmx = true;
            return Kernel32.TerminateJobObject(entry.Job, KilledExitCode) ? SignalOutcome.Delivered : SignalOutcome.NotPermitted;
        }
    }

    public SignalOutcome SendSignal(int pid, int signal)
    {
        lock (_gate) return _workers.ContainsKey(pid) ? SignalOutcome.NotSupported : SignalOutcome.NoSuchProcess;
    }

    public IDisposable WatchExits(Action<int, ExitStatus> onExit)
    {
        _onExit = onExit;
        return new ExitWatch(this);
    }

    /// <summary>A process handle is signalled when the process ends: a WaitHandle the thread pool can wait on.</summary>
    sealed class ProcessWaitHandle : WaitHandle
    {
        public ProcessWaitHandle(SafeWaitHandle process) => SafeWaitHandle = process;
    }

    sealed class ExitWatch(WindowsProcessHost host) : IDisposable
    {
        public void Dispose() => host._onExit = null;
    }

    void Watch(int pid, Entry entry)
    {
        entry.Wait = ThreadPool.RegisterWaitForSingleObject(new ProcessWaitHandle(entry.Process), (_, _) => OnExited(pid), null, Timeout.Infinite, executeOnlyOnce: true);
    }

    void OnExited(int pid)
    {
        ExitStatus status;
        lock (_gate)
        {
            if (!_workers.Remove(pid, out var entry)) return;
            entry.Wait?.Unregister(null);
            status = entry.KilledByPmx ? ExitStatus.KilledBy(SignalNames.SIGKILL)
                : Kernel32.GetExitCodeProcess(entry.Process, out var code) ? ExitStatus.Exited((int)code) : ExitStatus.Exited(-1);
            // What the worker left running goes with it, as a Linux worker's process group does.
            Kernel32.TerminateJobObject(entry.Job, KilledExitCode);
            entry.Job.Dispose();
            entry.Process.Dispose();
        }
        _onExit?.Invoke(pid, status);
    }

    unsafe (int Pid, SafeWaitHandle Process) CreateSuspendedInJob(string program, string application, string commandLine, string environment,
        string cwd, byte[] crtBlock, uint consoleFlags, SafeFileHandle stdin, SafeFileHandle stdout, SafeFileHandle stderr, out SafeFileHandle job)
    {
        var info = new Kernel32.ProcessInformation();
        var line = (commandLine + "\0").ToCharArray(); // CreateProcessW may write into the command line
        fixed (char* app = application + "\0", cmd = line, env = environment, dir = cwd + "\0")
        fixed (byte* crt = crtBlock)
        {
            var startup = new Kernel32.StartupInfo
            {
                Size = sizeof(Kernel32.StartupInfo),
                Flags = Kernel32.STARTF_USESTDHANDLES,
                CrtBlockSize = (ushort)crtBlock.Length,
                CrtBlock = crt,
                StdInput = stdin.DangerousGetHandle(),
                StdOutput = stdout.DangerousGetHandle(),
                StdError = stderr.DangerousGetHandle(),
            };
            if (!Kernel32.CreateProcess(app, cmd, 0, 0, inheritHandles: true,
                    Kernel32.CREATE_SUSPENDED | Kernel32.CREATE_UNICODE_ENVIRONMENT | consoleFlags, env, dir, &startup, &info))
                throw Failed(program, $"cannot start '{program}' ({application}) in '{cwd}'");
        }
        using var thread = new SafeWaitHandle(info.Thread, ownsHandle: true);
        var process = new SafeWaitHandle(info.Process, ownsHandle: true);
        job = Kernel32.CreateJobObject(0, null);
        if (job.IsInvalid || !Kernel32.SetKillOnJobClose(job) || !Kernel32.AssignProcessToJobObject(job, info.Process)
            || Kernel32.ResumeThread(info.Thread) == uint.MaxValue)
        {
            var failure = Failed(program, $"cannot start '{program}': cannot put it in a Job Object and resume it");
            Kernel32.TerminateProcess(info.Process, KilledExitCode);
            process.Dispose();
            job.Dispose();
            throw failure;
        }
        return (info.ProcessId, process);
    }

    /// <summary>The request's environment with the fd-passing variables made true (see LinuxProcessHost).</summary>
    static Dictionary<string, string> Environment(SpawnRequest request, int channelFd, string? handoffPipe)
    {
        var env = new Dictionary<string, string>(request.Environment, StringComparer.OrdinalIgnoreCase);
        foreach (var name in (string[])["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE", "SYSTEMD_EXEC_PID", "NOTIFY_SOCKET"])
            env.Remove(name);
        if (handoffPipe is null) env.Remove(HandoffWire.PipeVariable);
        else env[HandoffWire.PipeVariable] = handoffPipe;
        if (request.NodeIpcChannel)
        {
            env["NODE_CHANNEL_FD"] = channelFd.ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["NODE_CHANNEL_SERIALIZATION_MODE"] = "json";
        }
        return env;
    }

    static (SafeFileHandle Read, SafeFileHandle Write) InheritablePipe(string program, string what)
    {
        if (!Kernel32.CreatePipe(out var read, out var write, 0, 0))
            throw Failed(program, $"cannot start '{program}': cannot create its {what} pipe");
        MakeInheritable(write, program);
        return (read, write);
    }

    static void MakeInheritable(SafeHandle handle, string program)
    {
        if (!Kernel32.SetHandleInformation(handle, Kernel32.HANDLE_FLAG_INHERIT, Kernel32.HANDLE_FLAG_INHERIT))
            throw Failed(program, $"cannot start '{program}': cannot pass it a handle");
    }

    static SpawnException Failed(string program, string what) =>
        new(program, $"{what}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
}
