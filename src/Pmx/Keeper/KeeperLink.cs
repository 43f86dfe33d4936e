using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pmx.Processes;

namespace Pmx.Keeper;

/// <summary>
/// The daemon's side of the keeper channel: takes back the copies a previous daemon left with the
/// keeper, sends a copy of every descriptor that must outlive this daemon, and receives the exit
/// statuses of re-parented workers the keeper reaps.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class KeeperLink : IDisposable
{
    readonly Action<string> _warn;
    readonly Lock _gate = new();
    readonly List<(int Pid, ExitStatus Status)> _early = []; // guarded by _gate: exits before Start
    /// <summary>What the keeper holds a copy of, to hand a replacement keeper (closed handles are skipped and forgotten).</summary>
    readonly Dictionary<string, SafeHandle> _held = new(StringComparer.Ordinal); // guarded by _gate
    Action<int, ExitStatus>? _onExit; // guarded by _gate
    KeeperChannel _channel;
    volatile bool _isLeaving;

    KeeperLink(KeeperChannel channel, Action<string> warn, int keeperPid)
    {
        _channel = channel;
        _warn = warn;
        KeeperPid = keeperPid;
    }

    /// <summary>The copies the keeper handed back, by key ("pipe:[inode]", "socket:[inode]"). The adopter takes what it uses.</summary>
    public Dictionary<string, SafeFileHandle> HandedBack { get; } = new(StringComparer.Ordinal);

    /// <summary>The keeper's pid (this daemon's parent when the keeper started it).</summary>
    public int KeeperPid { get; private set; }

    /// <summary>The link to the keeper that started this daemon, or null when none did (foreground mode, a bare `pmx daemon`).</summary>
    public static KeeperLink? FromEnvironment(Action<string> warn)
    {
        var value = Environment.GetEnvironmentVariable(KeeperChannel.FdVariable);
        Environment.SetEnvironmentVariable(KeeperChannel.FdVariable, null);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd < 3) return null;
        // Placed by dup2, so inheritable: no worker may hold the channel (the keeper would never see it close).
        Interop.Interop.fcntl(fd, Interop.Interop.F_SETFD, Interop.Interop.FD_CLOEXEC);
        var link = new KeeperLink(new KeeperChannel(new SafeFileHandle(fd, ownsHandle: true)), warn, ParentPid());
        // The keeper writes every handed-back copy and then "ready" before it even starts reading.
        while (link._channel.Receive(out var descriptor) is { } message && message != "ready")
        {
            if (message.StartsWith("held ", StringComparison.Ordinal) && descriptor != null)
            {
                link.HandedBack[message[5..]] = descriptor;
                descriptor = null;
            }
            else link.OnMessage(message);
            descriptor?.Dispose();
        }
        return link;
    }

    static int ParentPid() => ProcessLineage.TryRead(Environment.ProcessId, out var parent, out _) ? parent : 0;

    /// <summary>Delivers exits (early ones first) to <paramref name="onExit"/> from now on, on the link's own thread.</summary>
    public void Start(Action<int, ExitStatus> onExit)
    {
        lock (_gate)
        {
            _onExit = onExit;
            foreach (var (pid, status) in _early) onExit(pid, status);
            _early.Clear();
        }
        new Thread(Listen) { IsBackground = true, Name = "pmx keeper link" }.Start();
    }

    void Listen()
    {
        var channel = _channel;
        while (channel.Receive(out var descriptor) is { } message)
        {
            descriptor?.Dispose();
            OnMessage(message);
        }
        if (_isLeaving) return;
        _warn($"the keeper (pid {KeeperPid}) is gone; the apps keep running; starting a new keeper with copies of every socket and pipe");
        StartNewKeeper();
    }

    /// <summary>
    /// A keeper killed under a live daemon: start another (detached, watching this daemon) and
    /// hand it a copy of everything the old one held. Degraded until this daemon dies: workers
    /// spawned before are not the new keeper's descendants, so if this daemon dies their exits
    /// are reaped by init and reach the next daemon only as "status unknown" (pidfd).
    /// </summary>
    void StartNewKeeper()
    {
        var errno = Interop.Interop.CreateUnixSeqPacketPair(out var ours, out var theirs);
        if (errno != 0)
        {
            _warn($"cannot start a new keeper: {Interop.Interop.Describe(errno)}; workers would not outlive this daemon's death");
            return;
        }
        using var keeperSide = new SafeFileHandle(theirs, ownsHandle: true);
        var channel = new KeeperChannel(new SafeFileHandle(ours, ownsHandle: true));
        var home = PmxHome.FromEnvironment();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) environment[(string)e.Key] = (string?)e.Value ?? "";
        environment[KeeperChannel.FdVariable] = "3";
        try
        {
            var pid = DetachedLauncher.Launch([Environment.ProcessPath!, KeeperProcess.Verb, KeeperProcess.WatchOption,
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture)], home.DaemonLogPath, environment, theirs);
            KeeperPid = pid;
        }
        catch (SpawnException e)
        {
            channel.Dispose();
            _warn($"cannot start a new keeper: {e.Message}; workers would not outlive this daemon's death");
            return;
        }
        lock (_gate)
        {
            var old = _channel;
            _channel = channel;
            old.Dispose();
            foreach (var (key, handle) in _held.ToList()) SendHeld(key, handle);
            _channel.Send("adopted");
        }
        new Thread(Listen) { IsBackground = true, Name = "pmx keeper link" }.Start();
    }

    /// <summary>Under _gate. A handle closed meanwhile (a pipe the pump finished) is forgotten.</summary>
    void SendHeld(string key, SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _channel.Send("hold " + key, handle);
        }
        catch (ObjectDisposedException) { _held.Remove(key); }
        finally { if (added) handle.DangerousRelease(); }
    }

    void OnMessage(string message)
    {
        var parts = message.Split(' ');
        if (parts is not ["exit", var pidText, var codeText, var statusText]
            || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(codeText, CultureInfo.InvariantCulture, out var code)
            || !int.TryParse(statusText, CultureInfo.InvariantCulture, out var status))
            return;
        var exit = ExitStatus.FromChildExit(code, status);
        lock (_gate)
        {
            if (_onExit is null) _early.Add((pid, exit));
            else _onExit(pid, exit);
        }
    }

    /// <summary>The keeper keeps its own copy of <paramref name="descriptor"/> under <paramref name="key"/> until <see cref="Drop"/>.</summary>
    public void Hold(string key, SafeHandle descriptor)
    {
        lock (_gate)
        {
            if (_held.Count > 64 && _held.Count % 64 == 0)
                foreach (var closed in _held.Where(h => h.Value.IsClosed).Select(h => h.Key).ToList()) _held.Remove(closed);
            _held[key] = descriptor;
            _channel.Send("hold " + key, descriptor);
        }
    }

    public void Drop(string key)
    {
        lock (_gate)
        {
            _held.Remove(key);
            _channel.Send("drop " + key);
        }
    }

    /// <summary>Tells the keeper this daemon holds its own copies now (it may close pipes nobody writes to).</summary>
    public void ReportAdopted()
    {
        lock (_gate) _channel.Send("adopted");
    }

    /// <summary>`pmx update`: once this daemon has exited, the keeper starts <paramref name="binaryPath"/> as the next one.</summary>
    public void RequestUpdate(string binaryPath)
    {
        _isLeaving = true;
        lock (_gate) _channel.Send("update " + binaryPath);
    }

    /// <summary>This daemon is exiting on purpose (every app stopped): the keeper may exit too.</summary>
    public void SayGoodbye()
    {
        _isLeaving = true;
        lock (_gate) _channel.Send("bye");
    }

    /// <summary>The key of a descriptor of this process: its /proc link text, "pipe:[inode]" or "socket:[inode]".</summary>
    public static string KeyOf(SafeHandle descriptor) => KeyOf(Environment.ProcessId, (int)descriptor.DangerousGetHandle()) ?? "";

    /// <summary>The key of fd <paramref name="fd"/> of process <paramref name="pid"/>, or null when it cannot be read.</summary>
    public static string? KeyOf(int pid, int fd)
    {
        try { return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd/{fd.ToString(CultureInfo.InvariantCulture)}").LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public void Dispose()
    {
        _isLeaving = true;
        _channel.Dispose();
        foreach (var handle in HandedBack.Values) handle.Dispose();
        HandedBack.Clear();
    }
}
