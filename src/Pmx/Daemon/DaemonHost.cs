using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Pmx.Cli;
using Pmx.Control;
using Pmx.Logs;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>
/// The supervisor process: `pmx daemon` (detached, started by the CLI) and `pmx up --no-daemon`
/// (foreground, containers) are the same program. Reads as the whole life of the daemon:
/// set up signals and reaping, serve the control socket, supervise, stop everything, clean up.
/// </summary>
internal sealed class DaemonHost
{
    static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(2);

    readonly PmxHome _home;
    readonly bool _foreground;
    readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _stopSignals;

    DaemonHost(PmxHome home, bool foreground)
    {
        _home = home;
        _foreground = foreground;
    }

    /// <summary>`pmx daemon`: stdout and stderr already go to daemon.log (DetachedLauncher).</summary>
    public static int RunDetached() => new DaemonHost(PmxHome.FromEnvironment(), foreground: false).Run(null);

    /// <summary>`pmx up --no-daemon`: supervise in the foreground until SIGTERM/SIGINT.</summary>
    public static int RunForeground(Func<Supervisor.Supervisor, Action<string>, Task<CommandOutcome>> startApps) =>
        new DaemonHost(PmxHome.FromEnvironment(), foreground: true).Run(startApps);

    int Run(Func<Supervisor.Supervisor, Action<string>, Task<CommandOutcome>>? startApps)
    {
        // An inherited SIG_IGN for SIGCHLD would make the kernel reap our workers and lose their exit codes.
        ProcessSetup.ResetSigchldToDefault();
        // As PID 1 we reap orphans anyway; elsewhere becoming a subreaper makes them ours to reap.
        if (ProcessSetup.CurrentPid != 1) ProcessSetup.TryBecomeSubreaper();
        _home.EnsureExists();
        // A long-lived daemon must not pin the folder some CLI happened to be started from.
        if (!_foreground) Directory.SetCurrentDirectory(_home.Root);

        switch (ControlServer.TryCleanStaleSocketAsync(_home.SocketPath, CancellationToken.None).GetAwaiter().GetResult())
        {
            case StaleSocketCheck.DaemonRunning:
                Console.Error.WriteLine($"pmx: a daemon is already running for PMX_HOME={_home.Root}" +
                    (_foreground ? "; stop it with 'pmx kill', or set PMX_HOME to another folder" : ""));
                return _foreground ? ExitCodes.Failure : ExitCodes.Ok;
            case StaleSocketCheck.RemovedStale:
                Console.Error.WriteLine("pmx: removed a stale control socket left by a daemon that did not exit cleanly");
                break;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        }).AddFilter(_ => true));
        var log = loggerFactory.CreateLogger("pmx");
        using var loop = new SupervisorLoop();
        // Disposed in reverse: the pump delivers the pipes' last lines before the writer flushes and closes.
        using var logs = _foreground ? new LogRouter(_home, foreground: Console.OpenStandardOutput()) : new LogRouter(_home);
        using var pump = new OutputPump();
        using var plumbing = new WorkerPlumbing(logs, pump, Sockets.Node.NodePreload.Install(_home), message => log.LogWarning("{Message}", message));
        var supervisor = new Supervisor.Supervisor(new LinuxProcessHost(Environment.ProcessPath!),
            plumbing, TimeProvider.System, log, loop) { KillWhenParentDies = _foreground };
        using var reaper = new ChildReaper(supervisor.OnChildExited);
        var handler = new RequestHandler(supervisor, loop, _home, () => _shutdown.TrySetResult());
        var server = ControlServer.Start(_home.SocketPath, handler.Handle, new ControlServerOptions
        {
            Log = message => log.LogWarning("{Message}", message),
        });
        WritePidFile();
        using var sampler = new Timer(_ => loop.Post(() => supervisor.SampleResources(ReadStats, ProcessStats.RssByProcessGroup)), null, SampleInterval, SampleInterval);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
        // A detached daemon has no terminal; SIGHUP must not kill it (and it means nothing to us yet).
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => ctx.Cancel = true);
        log.LogInformation("pmx {Version} daemon pid {Pid} serving {Socket}", BuildInfo.Version, Environment.ProcessId, _home.SocketPath);

        var exitCode = ExitCodes.Ok;
        if (startApps != null)
        {
            var started = loop.InvokeAsync(() => startApps(supervisor, line => Console.Error.WriteLine("pmx: " + line))).GetAwaiter().GetResult();
            if (started.ExitCode != 0)
            {
                Console.Error.WriteLine("pmx: " + started.Message);
                exitCode = started.ExitCode;
                _shutdown.TrySetResult();
            }
            else Sockets.SystemdNotifier.Notify($"READY=1\nSTATUS=supervising, every app started\nMAINPID={Environment.ProcessId}");
        }

        _shutdown.Task.GetAwaiter().GetResult();
        if (Volatile.Read(ref _stopSignals) > 0 || exitCode != 0)
        {
            if (_foreground) Sockets.SystemdNotifier.Notify("STOPPING=1");
            log.LogInformation("stopping every app before exiting");
            loop.InvokeAsync(() => supervisor.StopEverything(line => log.LogInformation("{Line}", line))).GetAwaiter().GetResult();
        }
        if (_foreground && exitCode == 0 && loop.InvokeAsync(() => Task.FromResult(supervisor.AnyErrored)).GetAwaiter().GetResult())
            exitCode = ExitCodes.Failure;
        server.StopAsync().GetAwaiter().GetResult();
        File.Delete(_home.PidFilePath);
        log.LogInformation("daemon exiting with code {Code}", exitCode);
        return exitCode;
    }

    void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        // A second Ctrl-C while stopping means "now": the workers die with us (PDEATHSIG in foreground).
        // Only SIGINT: an orchestrator may well send SIGTERM twice and still means "gracefully".
        if (Interlocked.Increment(ref _stopSignals) > 1 && context.Signal == PosixSignal.SIGINT && _foreground)
            Environment.Exit(ExitCodes.Failure);
        _shutdown.TrySetResult();
    }

    static (TimeSpan Cpu, long Rss)? ReadStats(int pid) =>
        ProcessStats.TryRead(pid, out var sample)
            ? (TimeSpan.FromSeconds((double)sample.CpuTicks / ProcessStats.ClockTicksPerSecond), sample.RssBytes)
            : null;

    /// <summary>Written atomically (temp file + rename) so a reader never sees half a pid.</summary>
    void WritePidFile()
    {
        var temp = _home.PidFilePath + ".tmp";
        File.WriteAllText(temp, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temp, _home.PidFilePath, overwrite: true);
    }
}
