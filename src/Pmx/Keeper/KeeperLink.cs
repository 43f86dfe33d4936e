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
internal sealed class KeeperLink : IDisposable
{
    readonly KeeperChannel _channel;
    readonly Action<string> _warn;
    readonly Lock _gate = new();
    readonly List<(int Pid, ExitStatus Status)> _early = []; // guarded by _gate: exits before Start
    Action<int, ExitStatus>? _onExit; // guarded by _gate

    KeeperLink(KeeperChannel channel, Action<string> warn, int keeperPid)
    {
        _channel = channel;
        _warn = warn;
        KeeperPid = keeperPid;
    }

    /// <summary>The copies the keeper handed back, by key ("pipe:[inode]", "socket:[inode]"). The adopter takes what it uses.</summary>
    public Dictionary<string, SafeFileHandle> HandedBack { get; } = new(StringComparer.Ordinal);

    /// <summary>The keeper's pid (this daemon's parent when the keeper started it).</summary>
    public int KeeperPid { get; }

    /// <summary>The link to the keeper that started this daemon, or null when none did (foreground mode, a bare `pmx daemon`).</summary>
    public static KeeperLink? FromEnvironment(Action<string> warn)
    {
        var value = Environment.GetEnvironmentVariable(KeeperChannel.FdVariable);
        Environment.SetEnvironmentVariable(KeeperChannel.FdVariable, null);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd < 3) return null;
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
        while (_channel.Receive(out var descriptor) is { } message)
        {
            descriptor?.Dispose();
            OnMessage(message);
        }
        if (!_channel.Handle.IsClosed)
            _warn("the keeper (pmx __keeper) is gone: supervising on, but workers would not outlive this daemon's death; 'pmx update' or a daemon restart starts a new keeper");
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
    public void Hold(string key, SafeHandle descriptor) => _channel.Send("hold " + key, descriptor);

    public void Drop(string key) => _channel.Send("drop " + key);

    /// <summary>Tells the keeper this daemon holds its own copies now (it may close pipes nobody writes to).</summary>
    public void ReportAdopted() => _channel.Send("adopted");

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
        _channel.Dispose();
        foreach (var handle in HandedBack.Values) handle.Dispose();
        HandedBack.Clear();
    }
}
