using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pmx.Processes;
using static Pmx.Interop.Interop;

namespace Pmx.Keeper;

// Overview
// Constraints: whatever holds the workers' pipes, listening sockets and parenthood must outlive
// the daemon (kill -9, OOM, crash, upgrade), so it must do almost nothing: no supervisor, no
// logging of workers, no JSON, no timers beyond one. It must also not take the apps down when it
// is itself killed (the daemon notices and starts a new one, see KeeperLink).
// Scheme: `pmx __keeper` becomes a child subreaper and starts `pmx daemon` as its child, handing
// it one end of a SOCK_SEQPACKET pair at fd 3 (PMX_KEEPER_FD). The daemon sends a copy of every
// descriptor that must outlive it ("hold KEY" + fd) and says when to let go ("drop KEY"). When the
// daemon dies, its workers are re-parented here; the keeper reaps them and queues their exit
// statuses, and starts a new daemon at once, handing back every copy ("held KEY" + fd), then the
// queued exits, then "ready". Pipe copies whose writers are all gone are closed once a daemon has
// taken them back ("adopted"), so a finished worker's pipe does not live on here. A daemon that
// exits 0 (pmx down, pmx kill, SIGTERM, or "another daemon already serves") ends the keeper too.

/// <summary>`pmx __keeper`: the daemon's parent, fd store and reaper of its orphans (see Overview).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class KeeperProcess
{
    public const string Verb = "__keeper";
    /// <summary>`pmx __keeper --watch-daemon PID`: a keeper started by a live daemon whose keeper was killed (see KeeperLink).</summary>
    public const string WatchOption = "--watch-daemon";
    static readonly TimeSpan StableDaemonLife = TimeSpan.FromSeconds(5);
    static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(5);
    static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(1);

    readonly PmxHome _home;
    readonly Lock _gate = new();
    readonly Dictionary<string, SafeFileHandle> _held = new(StringComparer.Ordinal); // guarded by _gate
    readonly Queue<string> _unsentExits = new(); // guarded by _gate
    readonly AutoResetEvent _wake = new(false);
    KeeperChannel? _channel; // guarded by _gate
    bool _isAdopted; // guarded by _gate
    int _daemonPid;
    /// <summary>The daemon is not our child (we replaced a killed keeper): its death shows as its channel closing.</summary>
    bool _isWatching;
    volatile bool _isWatchedChannelClosed;
    volatile bool _saidGoodbye;
    /// <summary>The binary the next daemon runs; `pmx update` replaces it.</summary>
    string _daemonProgram = Environment.ProcessPath!;
    volatile string? _updateTo;
    Thread? _serving;
    DateTime _daemonStartedAt;
    TimeSpan _restartDelay = TimeSpan.FromMilliseconds(100);

    KeeperProcess(PmxHome home) => _home = home;

    public static string PidFilePath(PmxHome home) => Path.Combine(home.Root, "keeper.pid");

    public static int Run(ReadOnlySpan<string> args)
    {
        var keeper = new KeeperProcess(PmxHome.FromEnvironment());
        if (args is [WatchOption, var pidText] && int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && int.TryParse(Environment.GetEnvironmentVariable(KeeperChannel.FdVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            Environment.SetEnvironmentVariable(KeeperChannel.FdVariable, null);
            fcntl(fd, F_SETFD, FD_CLOEXEC); // the daemons this keeper starts get their own channel, never this one
            keeper.Watch(pid, new KeeperChannel(new SafeFileHandle(fd, ownsHandle: true)));
        }
        else if (args is [KeeperReexec.ResumeOption]) keeper.ResumeFromOldImage();
        else if (args.Length > 0)
        {
            Console.Error.WriteLine($"pmx {Verb}: unexpected arguments; it is started by pmx itself");
            return 2;
        }
        return keeper.Loop();
    }

    /// <summary>
    /// Its channel closes as a killed daemon's descriptors are closed one by one, maybe before its
    /// lock on daemon.lock is released: a daemon started at once would find the lock held and step
    /// aside. Not our child, so no wait(2): /proc tells when it has exited (gone, or a zombie).
    /// </summary>
    void WaitUntilExited(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline && !HasExited(pid)) Thread.Sleep(10);
    }

    static bool HasExited(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return true; }
    }

    void Watch(int daemonPid, KeeperChannel channel)
    {
        _daemonPid = daemonPid;
        _isWatching = true;
        _channel = channel;
        new Thread(() => Serve(channel)) { IsBackground = true, Name = "pmx keeper channel" }.Start();
    }

    /// <summary>`pmx __keeper --resume`: this process was a keeper of another pmx version a moment ago (see KeeperReexec).</summary>
    void ResumeFromOldImage()
    {
        var (held, exits) = KeeperReexec.Resume();
        lock (_gate)
        {
            foreach (var (key, handle) in held) _held[key] = handle;
            foreach (var exit in exits) _unsentExits.Enqueue(exit);
        }
        Say($"now pmx {BuildInfo.Version} ({Environment.ProcessPath}), still pid {Environment.ProcessId}, holding {held.Count} descriptors");
    }

    /// <summary>`pmx update`, with no daemon running: become the new binary (see KeeperReexec); on failure carry on as this one.</summary>
    void ReexecInto(string binary)
    {
        Say($"re-executing as {binary} (pmx update); the workers and every held descriptor stay");
        lock (_gate)
        {
            var reason = KeeperReexec.Exec(binary, _held, _unsentExits);
            Say($"cannot re-execute as {binary} ({reason}); this keeper (pmx {BuildInfo.Version}) stays, and starts it as the daemon");
        }
    }

    int Loop()
    {
        ProcessSetup.ResetSigchldToDefault();
        ProcessSetup.TryBecomeSubreaper();
        _home.EnsureExists();
        Directory.SetCurrentDirectory(_home.Root);
        // A keeper replacing a killed one names itself only once it holds every copy (see Serve).
        if (!_isWatching) WritePidFile();
        using var sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => _wake.Set());
        // Stop requests are the daemon's to carry out (graceful stop of every app); it exits 0, and so do we.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ForwardToDaemon);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ForwardToDaemon);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => ctx.Cancel = true);
        DateTime? nextStart = _isWatching ? null : DateTime.UtcNow;
        int exitCode = 0;
        while (true)
        {
            if (nextStart is { } due && DateTime.UtcNow >= due)
            {
                nextStart = null;
                if (!TryStartDaemon()) { exitCode = 1; break; }
            }
            if (_isWatching && _isWatchedChannelClosed)
            {
                if (_saidGoodbye) break;
                if (TakeUpdate()) ReexecInto(_daemonProgram);
                Say($"daemon pid {_daemonPid} is gone; the apps keep running; starting a new daemon");
                WaitUntilExited(_daemonPid);
                _isWatching = false;
                _daemonPid = 0;
                nextStart = DateTime.UtcNow;
            }
            if (ReapAll() is { } daemonExit)
            {
                // Its last messages ("update", "bye") may still be in the channel: read them first.
                _serving?.Join(TimeSpan.FromSeconds(1));
                if (TakeUpdate())
                {
                    ReexecInto(_daemonProgram);
                    nextStart = DateTime.UtcNow;
                    Say($"daemon pid {daemonExit.Pid} handed over; starting {_daemonProgram}");
                    continue;
                }
                if (_saidGoodbye || daemonExit.Code == CLD_EXITED && daemonExit.Status == 0) break;
                nextStart = DateTime.UtcNow + NextRestartDelay();
                Say($"daemon pid {daemonExit.Pid} {ExitStatus.FromChildExit(daemonExit.Code, daemonExit.Status).Describe()}; the apps keep running; starting a new daemon");
            }
            DropPipesWithoutWriters();
            var wait = nextStart is { } at ? Clamp(at - DateTime.UtcNow) : SafetyInterval;
            _wake.WaitOne(wait);
        }
        lock (_gate)
        {
            foreach (var held in _held.Values) held.Dispose();
            _held.Clear();
            _channel?.Dispose();
        }
        try { File.Delete(PidFilePath(_home)); } catch (IOException) { }
        return exitCode;
    }

    /// <summary>
    /// Best effort (a full disk): without it a CLI that finds no daemon may start a second keeper,
    /// whose daemon then finds this one's daemon serving and leaves.
    /// </summary>
    void WritePidFile()
    {
        try { File.WriteAllText(PidFilePath(_home), Environment.ProcessId.ToString(CultureInfo.InvariantCulture)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Say($"cannot write {PidFilePath(_home)}: {e.Message}"); }
    }

    /// <summary>True when the daemon that just left asked for an update: the next daemon runs the new binary.</summary>
    bool TakeUpdate()
    {
        if (_updateTo is not { } binary) return false;
        _updateTo = null;
        _daemonProgram = binary;
        return true;
    }

    /// <summary>A line in daemon.log (our stdout and stderr); a full disk must not stop the keeper.</summary>
    static void Say(string line)
    {
        try { Console.Error.WriteLine("pmx keeper: " + line); }
        catch (IOException) { }
    }

    static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > SafetyInterval ? SafetyInterval : wait;

    /// <summary>At once after a long life; a daemon that keeps dying young is restarted ever more slowly.</summary>
    TimeSpan NextRestartDelay()
    {
        if (DateTime.UtcNow - _daemonStartedAt >= StableDaemonLife) _restartDelay = TimeSpan.FromMilliseconds(100);
        var delay = _restartDelay;
        _restartDelay = _restartDelay * 2 > MaxRestartDelay ? MaxRestartDelay : _restartDelay * 2;
        return delay;
    }

    void ForwardToDaemon(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_daemonPid > 0) kill(_daemonPid, context.Signal == PosixSignal.SIGINT ? SignalNames.SIGINT : SignalNames.SIGTERM);
    }

    /// <summary>Spawns `pmx daemon` with the channel at fd 3 and hands it every held copy. False when it cannot be spawned at all.</summary>
    bool TryStartDaemon()
    {
        var errno = CreateUnixSeqPacketPair(out var keeperEnd, out var daemonEnd);
        if (errno != 0)
        {
            Say($"cannot create the daemon's channel: {Describe(errno)}");
            return false;
        }
        var channel = new KeeperChannel(new SafeFileHandle(keeperEnd, ownsHandle: true));
        using (var daemonSide = new SafeFileHandle(daemonEnd, ownsHandle: true))
        {
            var program = _daemonProgram;
            var environment = new List<string?>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                if ((string)e.Key != KeeperChannel.FdVariable) environment.Add($"{e.Key}={e.Value}");
            environment.Add($"{KeeperChannel.FdVariable}=3");
            environment.Add(null);
            int parking = Math.Max(daemonEnd, 3) + 1;
            ReadOnlySpan<SpawnFileAction> actions =
            [
                SpawnFileAction.Dup2(daemonEnd, parking),
                SpawnFileAction.Dup2(parking, 3), // dup2 to another number clears FD_CLOEXEC
                SpawnFileAction.Close(parking),
            ];
            errno = PosixSpawnp(out var pid, program, [program, "daemon", null], [.. environment], actions,
                PosixSpawnFlags.SetSignalDefault | PosixSpawnFlags.SetSignalMask);
            if (errno != 0)
            {
                channel.Dispose();
                Say($"cannot start '{program} daemon': {Describe(errno)}");
                return false;
            }
            _daemonPid = pid;
            _daemonStartedAt = DateTime.UtcNow;
        }
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = channel;
            _isAdopted = false;
            _saidGoodbye = false;
            _updateTo = null;
            foreach (var (key, fd) in _held) channel.Send("held " + key, fd);
            while (_unsentExits.TryDequeue(out var exit)) channel.Send(exit);
            channel.Send("ready");
        }
        _serving = new Thread(() => Serve(channel)) { IsBackground = true, Name = "pmx keeper channel" };
        _serving.Start();
        return true;
    }

    /// <summary>The daemon's requests, until it closes its end (exit or death).</summary>
    void Serve(KeeperChannel channel)
    {
        while (channel.Receive(out var fd) is { } message)
        {
            var space = message.IndexOf(' ');
            var verb = space < 0 ? message : message[..space];
            var key = space < 0 ? "" : message[(space + 1)..];
            lock (_gate)
            {
                switch (verb)
                {
                    case "hold" when fd != null:
                        if (_held.Remove(key, out var previous)) previous.Dispose();
                        _held[key] = fd;
                        fd = null;
                        break;
                    case "drop":
                        if (_held.Remove(key, out var dropped)) dropped.Dispose();
                        break;
                    case "adopted":
                        if (_channel != channel) break;
                        // A watching keeper's hand-over ends here: from now on a daemon death costs nothing, so now
                        // keeper.pid may say this keeper is in charge (a test or a user killing the daemon trusts it).
                        if (_isWatching && !_isAdopted) WritePidFile();
                        _isAdopted = true;
                        break;
                    case "update" when key.Length > 0:
                        if (_channel == channel) _updateTo = key;
                        break;
                    case "bye":
                        if (_channel == channel) _saidGoodbye = true;
                        break;
                }
            }
            fd?.Dispose();
        }
        lock (_gate)
        {
            if (_channel == channel && _isWatching) _isWatchedChannelClosed = true;
        }
        _wake.Set();
    }

    /// <summary>Reaps every exited child; returns the daemon's exit when it was among them.</summary>
    ChildExit? ReapAll()
    {
        ChildExit? daemonExit = null;
        while (WaitId(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT, out var peeked) == 0 && peeked.Pid != 0)
        {
            var pid = peeked.Pid;
            // A worker's leftovers go with it (as the daemon does); the zombie still pins the group id.
            if (pid != _daemonPid) kill(-pid, SignalNames.SIGKILL);
            if (WaitId(P_PID, pid, WEXITED | WNOHANG, out var exit) != 0 || exit.Pid == 0) continue;
            if (pid == _daemonPid)
            {
                daemonExit = exit;
                _daemonPid = 0;
                continue;
            }
            var message = string.Create(CultureInfo.InvariantCulture, $"exit {pid} {exit.Code} {exit.Status}");
            lock (_gate)
            {
                if (_channel is null || !_channel.Send(message)) _unsentExits.Enqueue(message);
            }
        }
        return daemonExit;
    }

    /// <summary>A pipe with no writer left has nothing more to keep once a daemon holds its own copy.</summary>
    void DropPipesWithoutWriters()
    {
        lock (_gate)
        {
            if (!_isAdopted || _daemonPid == 0) return;
            foreach (var key in _held.Keys.Where(k => k.StartsWith("pipe:", StringComparison.Ordinal)).ToList())
            {
                if (!IsHungUp((int)_held[key].DangerousGetHandle())) continue;
                _held.Remove(key, out var pipe);
                pipe!.Dispose();
            }
        }
    }
}
