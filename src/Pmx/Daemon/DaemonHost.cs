using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Pmx.Cli;
using Pmx.Keeper;
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
    /// <summary>How long a daemon waits for the lock (or for the daemon holding it to listen) before it gives up.</summary>
    static readonly TimeSpan LockWaitTimeout = TimeSpan.FromSeconds(10);

    readonly PmxHome _home;
    readonly bool _foreground;
    readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _stopSignals;
    volatile bool _isHandingOver;

    DaemonHost(PmxHome home, bool foreground)
    {
        _home = home;
        _foreground = foreground;
    }

    /// <summary>`pmx daemon`: stdout and stderr already go to daemon.log (DetachedLauncher).</summary>
    public static int RunDetached()
    {
        var home = PmxHome.FromEnvironment();
        // Before anything logs (the console logger captures Console.Out when it is created).
        DaemonLogWriter.Install(home.DaemonLogPath);
        // On Linux the runtime's own crash report goes to fd 2, daemon.log; the Windows daemon has no stderr.
        if (OperatingSystem.IsWindows())
            AppDomain.CurrentDomain.UnhandledException += (_, e) => Console.Error.WriteLine($"pmx: the daemon crashed: {e.ExceptionObject}");
        return new DaemonHost(home, foreground: false).Run(null);
    }

    /// <summary>`pmx up --no-daemon`: supervise in the foreground until SIGTERM/SIGINT.</summary>
    public static int RunForeground(Func<Supervisor.AppSupervisor, Action<string>, Task<CommandOutcome>> startApps) =>
        new DaemonHost(PmxHome.FromEnvironment(), foreground: true).Run(startApps);

    /// <summary>The Node preload's path; null (Node apps then bind their own ports) when it cannot be written, e.g. on a full disk.</summary>
    string? InstallNodePreload(ILogger log)
    {
        try
        {
            return Sockets.Node.NodePreload.Install(_home);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("cannot write the Node preload under {Home} ({Reason}); Node apps started now bind their own ports", _home.Root, e.Message);
            return null;
        }
    }

    int Run(Func<Supervisor.AppSupervisor, Action<string>, Task<CommandOutcome>>? startApps)
    {
        if (OperatingSystem.IsLinux())
        {
            // An inherited SIG_IGN for SIGCHLD would make the kernel reap our workers and lose their exit codes.
            ProcessSetup.ResetSigchldToDefault();
            // As PID 1 we reap orphans anyway; elsewhere becoming a subreaper makes them ours to reap.
            if (ProcessSetup.CurrentPid != 1) ProcessSetup.TryBecomeSubreaper();
        }
        _home.EnsureExists();
        // A long-lived daemon must not pin the folder some CLI happened to be started from.
        if (!_foreground) Directory.SetCurrentDirectory(_home.Root);

        using var daemonLock = TakeLockUnlessAnotherDaemonServes();
        if (daemonLock is null)
        {
            Console.Error.WriteLine(AlreadyRunningMessage());
            return _foreground ? ExitCodes.Failure : ExitCodes.Ok;
        }
        // With the lock held, no other daemon of this PMX_HOME can be starting: a socket that does
        // not answer is stale. One that answers belongs to a daemon of a pmx that predates the lock.
        // Windows (win-worker branch): no AF_UNIX control socket; the named-pipe transport comes with the win-daemon branch.
        switch (OperatingSystem.IsWindows() ? StaleSocketCheck.Absent : ControlServer.TryCleanStaleSocketAsync(_home.SocketPath, CancellationToken.None).GetAwaiter().GetResult())
        {
            case StaleSocketCheck.DaemonRunning:
                Console.Error.WriteLine(AlreadyRunningMessage());
                return _foreground ? ExitCodes.Failure : ExitCodes.Ok;
            case StaleSocketCheck.RemovedStale:
                Console.Error.WriteLine("pmx: removed a stale control socket left by a daemon that did not exit cleanly");
                break;
        }

        if (_foreground && OperatingSystem.IsLinux() && DaemonAdoption.RefusalOverLiveWorkers(DaemonStateFile.PathIn(_home)) is { } refusal)
        {
            Console.Error.WriteLine(refusal);
            return ExitCodes.Failure;
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
        using var pump = IOutputPump.ForThisPlatform(logs.WhenWritten);
        using var plumbing = new WorkerPlumbing(logs, pump, _home.NotifyDirectory, InstallNodePreload(log),
            message => log.LogWarning("{Message}", message));
        // Foreground mode IS the container's life: nothing needs to outlive it, so no keeper.
        using var keeper = _foreground || !OperatingSystem.IsLinux() ? null : KeeperLink.FromEnvironment(message => log.LogWarning("{Message}", message));
        var kept = keeper is null || !OperatingSystem.IsLinux() ? null : new KeptPlumbing(plumbing, keeper);
        var host = ProcessHosts.ForThisPlatform();
        var supervisor = new Supervisor.AppSupervisor(host, kept ?? (IWorkerPlumbing)plumbing, TimeProvider.System, log, loop) {
            KillWhenParentDies = _foreground,
            NodeListenRecords = plumbing.NodeListens.Records,
        };
        using var exits = host.WatchExits(supervisor.OnChildExited);
        var statePath = DaemonStateFile.PathIn(_home);
        using var adoptedExits = _foreground || !OperatingSystem.IsLinux() ? null : DaemonAdoption.AdoptOrStart(supervisor, loop, keeper, kept, plumbing.NodeListens, statePath, log);
        if (!_foreground && OperatingSystem.IsWindows()) DaemonAdoption.RestartOrStart(supervisor, loop, statePath, log);
        var handover = new Handover(keeper, snapshot =>
        {
            DaemonStateFile.Write(statePath, snapshot());
            supervisor.StateChanged = null; // what the next daemon reads is final now
        }, () =>
        {
            _isHandingOver = true;
            _shutdown.TrySetResult();
        });
        var handler = new RequestHandler(supervisor, loop, _home, () => _shutdown.TrySetResult(), handover);
        var server = ControlServer.Start(_home.SocketPath, handler.Handle, new ControlServerOptions
        {
            Log = message => log.LogWarning("{Message}", message),
        });
        WritePidFile();
        using var sampler = OperatingSystem.IsLinux() ? StartSampler(loop, supervisor)
            : OperatingSystem.IsWindows() ? StartWindowsSampler(loop, supervisor) : null;
        using var trimmer = HeapTrimmer.Start(SampleInterval);
        // On Windows .NET maps console control events onto these: CTRL_C is SIGINT, CTRL_SHUTDOWN
        // SIGTERM, CTRL_CLOSE SIGHUP. A foreground pmx stops on Ctrl+C; the detached daemon has no
        // console and stops on the control pipe's 'kill' (or 'down') request.
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
                // One broken app must not take the healthy ones down: keep supervising them (and
                // retrying it), and exit 1 when stopped. Only when nothing serves at all is there
                // nothing to stay up for.
                Console.Error.WriteLine("pmx: " + started.Message);
                exitCode = started.ExitCode;
                if (!loop.InvokeAsync(() => Task.FromResult(supervisor.AnyOnline)).GetAwaiter().GetResult())
                {
                    Console.Error.WriteLine("pmx: no app is online; stopping");
                    _shutdown.TrySetResult();
                }
            }
            Sockets.SystemdNotifier.Notify($"READY=1\nSTATUS=supervising{(exitCode == 0 ? ", every app started" : "; some apps failed to start")}\nMAINPID={Environment.ProcessId}");
        }

        _shutdown.Task.GetAwaiter().GetResult();
        // Read before the stop below forgets every app (README: foreground mode exits 1 when an app ended errored).
        if (_foreground && exitCode == 0 && loop.InvokeAsync(() => Task.FromResult(supervisor.AnyErrored)).GetAwaiter().GetResult())
            exitCode = ExitCodes.Failure;
        if (_isHandingOver)
        {
            // `pmx update`: the workers are the next daemon's; only this process goes.
            server?.StopAsync().GetAwaiter().GetResult();
            log.LogInformation("handed over; daemon exiting, every worker keeps running");
            return ExitCodes.Ok;
        }
        if (Volatile.Read(ref _stopSignals) > 0 || exitCode != 0)
        {
            if (_foreground) Sockets.SystemdNotifier.Notify("STOPPING=1");
            log.LogInformation("stopping every app before exiting");
            loop.InvokeAsync(() => supervisor.StopEverything(line => log.LogInformation("{Line}", line))).GetAwaiter().GetResult();
        }
        server?.StopAsync().GetAwaiter().GetResult();
        // Every app is stopped: nothing is left for a next daemon to adopt.
        supervisor.StateChanged = null;
        if (!_foreground) DaemonStateFile.Delete(statePath);
        if (OperatingSystem.IsLinux()) keeper?.SayGoodbye();
        File.Delete(_home.PidFilePath);
        log.LogInformation("daemon exiting with code {Code}", exitCode);
        return exitCode;
    }

    /// <summary>
    /// The lock, or null once another daemon serves this PMX_HOME. The lock may be held briefly by
    /// a daemon that is leaving (`pmx kill; pmx up`: it has closed its socket and not yet exited),
    /// or by one starting at the same instant; so this waits, bounded, for whichever comes first:
    /// the lock, or a daemon listening. A CLI whose daemon gave up then connects to the one serving.
    /// </summary>
    DaemonLock? TakeLockUnlessAnotherDaemonServes()
    {
        var deadline = DateTime.UtcNow + LockWaitTimeout;
        while (true)
        {
            if (DaemonLock.TryAcquire(_home.LockPath) is { } acquired) return acquired;
            if (DateTime.UtcNow >= deadline) return null;
            if (!OperatingSystem.IsWindows() && ControlSocket.ProbeAsync(_home.SocketPath, CancellationToken.None).GetAwaiter().GetResult() == ControlSocket.Probe.Listening)
                return null;
            Thread.Sleep(20);
        }
    }

    string AlreadyRunningMessage() =>
        $"pmx: a daemon is already running for PMX_HOME={_home.Root}; not starting a second one" +
        (_foreground ? ". Stop it with 'pmx kill', or set PMX_HOME to another folder" : "");

    void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        // A second Ctrl-C while stopping means "now": the workers die with us (PDEATHSIG in foreground).
        // Only SIGINT: an orchestrator may well send SIGTERM twice and still means "gracefully".
        if (Interlocked.Increment(ref _stopSignals) > 1 && context.Signal == PosixSignal.SIGINT && _foreground)
            Environment.Exit(ExitCodes.Failure);
        _shutdown.TrySetResult();
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static Timer StartSampler(SupervisorLoop loop, Supervisor.AppSupervisor supervisor) =>
        new(_ => loop.Post(() => supervisor.SampleResources(ReadStats, ProcessStats.RssByProcessGroup)), null, SampleInterval, SampleInterval);

    /// <summary>
    /// A Job Object reports no current memory of its tree, so a worker's own working set stands
    /// for its group's (max_memory_restart): collected while its CPU is read, just before the check.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    static Timer StartWindowsSampler(SupervisorLoop loop, Supervisor.AppSupervisor supervisor) =>
        new(_ => loop.Post(() =>
        {
            var workingSets = new Dictionary<int, long>();
            supervisor.SampleResources(
                pid => WindowsProcessStats.TryRead(pid) is { } s ? (s.Cpu, workingSets[pid] = s.WorkingSetBytes) : null,
                () => workingSets);
        }), null, SampleInterval, SampleInterval);

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static (TimeSpan Cpu, long Rss)? ReadStats(int pid) =>
        ProcessStats.TryRead(pid, out var sample)
            ? (TimeSpan.FromSeconds((double)sample.CpuTicks / ProcessStats.ClockTicksPerSecond), sample.RssBytes)
            : null;

    /// <summary>
    /// Written atomically (temp file + rename) so a reader never sees half a pid. A full disk must
    /// not stop the daemon from supervising: without the file, commands still reach it by socket.
    /// </summary>
    void WritePidFile()
    {
        var temp = _home.PidFilePath + ".tmp";
        try
        {
            File.WriteAllText(temp, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.Move(temp, _home.PidFilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pmx: cannot write the pid file {_home.PidFilePath}: {e.Message}. Supervising on without it; commands reach the daemon through {_home.SocketPath}.");
            try { File.Delete(temp); } catch (IOException) { }
        }
    }
}
