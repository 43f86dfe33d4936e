using System.Net.Sockets;
using System.Text;
using Pmx.Supervisor;
using static Pmx.Interop.Interop;

namespace Pmx.Sockets;

/// <summary>
/// A per-worker sd_notify endpoint (man sd_notify): an AF_UNIX datagram socket named in the
/// worker's NOTIFY_SOCKET. One socket per worker attributes every message to its worker, even when
/// a helper process (systemd-notify) sends it.
/// </summary>
/// <remarks>
/// Overview
/// Constraints: READY=1 decides whether a reload replaces every slot, so nobody but the worker's
/// own user may be heard; sun_path holds 107 bytes, so the name cannot contain the app name (up to
/// 100 characters); a worker (or anyone who reaches the socket) may send thousands of datagrams a
/// second, and neither the daemon's memory nor its loop may grow with them.
/// Scheme: the socket is a file in PMX_HOME/notify (0700, like PMX_HOME) under a short random
/// name, so other users cannot even connect; when that path is too long it falls back to the
/// abstract namespace (which anyone can reach). Either way SO_PASSCRED makes the kernel attach the
/// sender's credentials to each datagram, and only the daemon's own uid (or root) is heard; the
/// first datagram from anyone else is logged, every one is counted and dropped. The sender's
/// process group is not checked: systemd-notify exits right after sending, so its pid may be gone
/// by the time the datagram is read, and a process of the same user could ptrace the worker anyway.
/// Reception drains at most a batch of datagrams, merges them into one message (READY, STOPPING and
/// WATCHDOG are sticky, the last STATUS wins) and then pauses briefly, so a flood costs a bounded
/// number of deliveries per second and waits in the kernel's bounded queue, not in ours.
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class NotifySocket : IDisposable
{
    const int MaxPathBytes = 107;
    const int MaxDatagramBytes = 4096;
    const int MaxDatagramsPerBatch = 64;
    static readonly TimeSpan PauseAfterDelivery = TimeSpan.FromMilliseconds(20);
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    readonly Socket _socket;
    readonly string? _file;
    readonly string _workerLabel;
    readonly Action<string>? _warn;
    readonly uint _ownUid = geteuid();
    readonly CancellationTokenSource _stop = new();
    int _rejected;

    NotifySocket(Socket socket, string path, string? file, string workerLabel, Action<string>? warn)
    {
        _socket = socket;
        Path = path;
        _file = file;
        _workerLabel = workerLabel;
        _warn = warn;
    }

    /// <summary>The NOTIFY_SOCKET value: a file path, or '@' standing for the abstract namespace's leading NUL.</summary>
    public string Path { get; }

    /// <summary>The bound socket, for a keeper to hold a copy of.</summary>
    public System.Runtime.InteropServices.SafeHandle Handle => _socket.SafeHandle;

    /// <summary>Datagrams dropped because they came from another user (or without credentials).</summary>
    public int RejectedCount => Volatile.Read(ref _rejected);

    /// <param name="directory">Where the socket file goes (see <see cref="PrepareDirectory"/>); null for the abstract namespace.</param>
    /// <param name="workerLabel">"web#0", for messages only: it never becomes part of the socket's name.</param>
    /// <param name="onMessage">Called on a thread-pool thread, at most once per batch.</param>
    /// <param name="warn">Told once when a datagram from another user is dropped.</param>
    public static NotifySocket Open(string? directory, string workerLabel, Action<ReadinessMessage> onMessage, Action<string>? warn = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            // Before bind: a datagram can arrive as soon as the name exists, and it must carry credentials.
            socket.SetRawSocketOption(SOL_SOCKET, SO_PASSCRED, BitConverter.GetBytes(1));
            var (path, file) = Bind(socket, directory);
            var notify = new NotifySocket(socket, path, file, workerLabel, warn);
            _ = notify.ReceiveLoop(onMessage);
            return notify;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A socket a keeper kept through the previous daemon's death (<paramref name="path"/> as it
    /// was in the worker's NOTIFY_SOCKET): datagrams the worker sent meanwhile wait in its queue.
    /// Takes ownership of <paramref name="descriptor"/>.
    /// </summary>
    public static NotifySocket Adopt(Microsoft.Win32.SafeHandles.SafeFileHandle descriptor, string path, string workerLabel,
        Action<ReadinessMessage> onMessage, Action<string>? warn = null)
    {
        var socket = new Socket(new SafeSocketHandle(descriptor.DangerousGetHandle(), ownsHandle: true));
        descriptor.SetHandleAsInvalid();
        var notify = new NotifySocket(socket, path, path.StartsWith('@') ? null : path, workerLabel, warn);
        _ = notify.ReceiveLoop(onMessage);
        return notify;
    }

    /// <summary>
    /// Creates the socket folder owner-only and removes the sockets a previous daemon left behind,
    /// except those still bound: a keeper holds them for live workers, whose next daemon adopts them.
    /// </summary>
    public static void PrepareDirectory(string directory)
    {
        Directory.CreateDirectory(directory, OwnerOnly);
        if ((File.GetUnixFileMode(directory) & ~OwnerOnly) != 0) File.SetUnixFileMode(directory, OwnerOnly);
        foreach (var leftover in Directory.EnumerateFiles(directory))
            if (!IsStillBound(leftover)) File.Delete(leftover);
    }

    /// <summary>connect(2) to a datagram socket file nobody holds fails with ECONNREFUSED (unix(7)).</summary>
    static bool IsStillBound(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException) { return false; }
    }

    static (string Path, string? File) Bind(Socket socket, string? directory)
    {
        for (int attempt = 0; directory != null && attempt < 3; attempt++)
        {
            var path = System.IO.Path.Combine(directory, ShortId());
            if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes) break; // PMX_HOME too long: abstract it is
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                return (path, path);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // A random name that is taken: try another.
            }
        }
        var name = $"pmx-{Environment.ProcessId}-{ShortId()}";
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        return ("@" + name, null);
    }

    // Not RandomNumberGenerator: on Linux it loads OpenSSL, and a shared libc pulled into the static
    // pmx corrupts its heap. Guid reads the kernel's random bytes itself; the folder is owner-only,
    // so the name needs to be unique, not secret.
    static string ShortId() => Guid.NewGuid().ToString("N")[..12];

    async Task ReceiveLoop(Action<ReadinessMessage> onMessage)
    {
        var buffer = new byte[MaxDatagramBytes];
        var peek = new byte[1];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Waits until a datagram is queued without taking it: recvmsg below needs the credentials.
                await _socket.ReceiveAsync(peek, SocketFlags.Peek, _stop.Token);
                var (message, wasFull) = ReceiveBatch(buffer);
                if (message is { } m) onMessage(m);
                if (message is not null || wasFull) await Task.Delay(PauseAfterDelivery, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The worker is gone and its socket closed.
        }
    }

    (ReadinessMessage? Message, bool WasFull) ReceiveBatch(byte[] buffer)
    {
        ReadinessMessage? merged = null;
        for (int i = 0; i < MaxDatagramsPerBatch; i++)
        {
            var length = ReceiveWithCredentials(_socket.SafeHandle, buffer, out var sender);
            if (length < 0)
            {
                var errno = LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN) return (merged, false);
                throw new SocketException((int)errno);
            }
            if (!IsHeard(sender))
            {
                Reject(sender);
                continue;
            }
            var message = Parse(Encoding.UTF8.GetString(buffer, 0, length));
            merged = merged is { } earlier ? Merge(earlier, message) : message;
        }
        return (merged, true);
    }

    bool IsHeard(PeerCredentials? sender) => sender is { } s && (s.Uid == _ownUid || s.Uid == 0);

    void Reject(PeerCredentials? sender)
    {
        if (Interlocked.Increment(ref _rejected) != 1) return;
        var who = sender is { } s ? $"pid {s.Pid} (uid {s.Uid})" : "a sender without credentials";
        _warn?.Invoke($"{_workerLabel}: dropped a notify message from {who}: only the daemon's own user (uid {_ownUid}) may report a worker's readiness; later ones are dropped without a word");
    }

    static ReadinessMessage Merge(ReadinessMessage earlier, ReadinessMessage later) => new(
        earlier.IsReady || later.IsReady,
        earlier.IsStopping || later.IsStopping,
        later.Status ?? earlier.Status,
        earlier.IsWatchdogPing || later.IsWatchdogPing);

    /// <summary>Newline-separated KEY=VALUE assignments in one datagram (sd_notify(3)); STATUS comes out printable.</summary>
    public static ReadinessMessage Parse(string datagram) => NotifyAssignments.Parse(datagram);

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        if (_file is null) return;
        try { File.Delete(_file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* PrepareDirectory removes it next time */ }
    }
}
