using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Supervisor;

namespace Pmx.Keeper;

/// <summary>
/// The daemon's plumbing with a copy of every descriptor that must outlive the daemon left with the
/// keeper: each listening socket (dropped when pmx closes it) and each worker's stdout/stderr read
/// end (the keeper closes those itself once no writer is left). Keys are the descriptors' /proc
/// link texts, so a new daemon finds a live worker's pipes and socket from /proc/&lt;pid&gt;/fd.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class KeptPlumbing(IWorkerPlumbing inner, KeeperLink keeper) : IWorkerPlumbing
{
    const int PipeBytes = 1024 * 1024;

    public IListenSocket Listen(AppSpec spec) => Keep(inner.Listen(spec));

    /// <summary>A socket this daemon already holds (one handed back at adoption): the keeper keeps it on, dropped like any other.</summary>
    public IListenSocket Keep(IListenSocket socket)
    {
        var key = KeeperLink.KeyOf(socket.Handle);
        keeper.Hold(key, socket.Handle);
        return new KeptListenSocket(socket, () => keeper.Drop(key));
    }

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr, Action<string> onAddressInUse, Logs.StderrTail stderrTail)
    {
        foreach (var pipe in (SafeFileHandle[])[stdout, stderr])
        {
            // While no daemon reads (between a death and the next daemon), the kernel's buffer is
            // all that keeps a worker writing; 1 MiB (the unprivileged maximum by default) is
            // minutes of a normal log. Best effort: a smaller pipe only means an earlier stall.
            Interop.Interop.fcntl((int)pipe.DangerousGetHandle(), Interop.Interop.F_SETPIPE_SZ, PipeBytes);
            keeper.Hold(KeeperLink.KeyOf(pipe), pipe);
        }
        inner.AttachOutput(spec, instance, stdout, stderr, onAddressInUse, stderrTail);
    }

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        var channel = inner.OpenNotifyChannel(workerLabel, onMessage);
        return channel.Resource is Sockets.NotifySocket socket ? Keep(socket) : channel;
    }

    /// <summary>
    /// The keeper holds the bound sd_notify socket too: the worker's NOTIFY_SOCKET stays reachable
    /// through a daemon death (its datagrams queue), and the next daemon reads it again.
    /// </summary>
    public NotifyChannel Keep(Sockets.NotifySocket socket)
    {
        var key = KeeperLink.KeyOf(socket.Handle);
        keeper.Hold(key, socket.Handle);
        return new NotifyChannel(socket.Path, new DropThenDispose(() => keeper.Drop(key), socket), key);
    }

    /// <summary>The keeper holds the daemon's end too: the channel stays open through a daemon death, and the next daemon reads it again.</summary>
    public IDisposable AttachNodeIpc(AppSpec spec, Processes.INodeChannel channel, Action<ReadinessMessage> onMessage)
    {
        var reader = inner.AttachNodeIpc(spec, channel, onMessage);
        if (channel is not Sockets.Node.UnixNodeChannel unix) return reader;
        var key = KeeperLink.KeyOf(unix.Socket.SafeHandle);
        keeper.Hold(key, unix.Socket.SafeHandle);
        return new DropThenDispose(() => keeper.Drop(key), reader);
    }

    sealed class DropThenDispose(Action drop, IDisposable inner) : IDisposable
    {
        public void Dispose()
        {
            drop();
            inner.Dispose();
        }
    }

    public void AddNodePreload(AppSpec spec, IDictionary<string, string> environment) => inner.AddNodePreload(spec, environment);

    public void ReleaseNodeListens(string appName) => inner.ReleaseNodeListens(appName);

    sealed class KeptListenSocket(IListenSocket socket, Action onDispose) : IListenSocket
    {
        bool _isDisposed;
        public SafeHandle Handle => socket.Handle;
        public string Endpoint => socket.Endpoint;
        public int AcceptQueueLength => socket.AcceptQueueLength;
        public void SteerTo(IReadOnlyList<int> positions) => socket.SteerTo(positions);
        public void StopListening() => socket.StopListening();

        public void Dispose()
        {
            if (_isDisposed) return;
            _isDisposed = true;
            onDispose();
            socket.Dispose();
        }
    }
}
