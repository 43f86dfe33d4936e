using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Processes;

namespace Pmx.Supervisor;

/// <summary>A listening socket pmx owns and hands to workers (DESIGN §3).</summary>
internal interface IListenSocket : IDisposable
{
    SafeHandle Handle { get; }
    /// <summary>"127.0.0.1:8080", for messages.</summary>
    string Endpoint { get; }
    /// <summary>Connections accepted by the kernel and not yet by a worker.</summary>
    int AcceptQueueLength { get; }
    /// <summary>
    /// reuse_port = "per_instance": new connections go only to the sockets at these positions of
    /// this socket's SO_REUSEPORT group, in the kernel's order (see ReuseportGroup).
    /// </summary>
    void SteerTo(IReadOnlyList<int> positions);
    /// <summary>
    /// Stops listening for every holder of the socket, before pmx closes its own descriptor: another
    /// copy (the keeper's, until it handles the drop) would otherwise keep it in its SO_REUSEPORT group
    /// and let connections queue on it with no worker to accept them.
    /// </summary>
    void StopListening();
}

/// <summary>What a worker said on its readiness channels (sd_notify or Node IPC).</summary>
internal readonly record struct ReadinessMessage(bool IsReady, bool IsStopping, string? Status, bool IsWatchdogPing = false);

/// <summary>A per-worker sd_notify socket: the path goes into NOTIFY_SOCKET (null: none on this platform).</summary>
/// <param name="KeeperKey">The key under which a keeper holds a copy of the socket (Linux), recorded so the next daemon hears the worker.</param>
internal sealed record NotifyChannel(string? Path, IDisposable Resource, string? KeeperKey = null);

/// <summary>
/// Everything around a worker that is not the process itself: sockets, log pipes, readiness
/// channels. The supervisor's unit tests replace it; the daemon uses the real one. Callbacks
/// may run on any thread: the supervisor posts them to its loop.
/// </summary>
internal interface IWorkerPlumbing
{
    /// <summary>Binds host:port for an app. Throws ListenException with a message a user can act on.</summary>
    IListenSocket Listen(AppSpec spec);
    /// <summary>
    /// Takes ownership of the pipes: reads them until EOF, then closes them. <paramref name="onAddressInUse"/>
    /// gets the first stderr line that says a port is taken (EADDRINUSE), on the pump's thread;
    /// <paramref name="stderrTail"/> keeps the last one, for a failed start to quote.
    /// </summary>
    void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr, Action<string> onAddressInUse, Logs.StderrTail stderrTail);
    NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage);
    /// <summary>Reads the worker's Node IPC channel: readiness, and the Node preload's listen requests for <paramref name="spec"/>'s app.</summary>
    IDisposable AttachNodeIpc(AppSpec spec, INodeChannel channel, Action<ReadinessMessage> onMessage);
    /// <summary>NODE_OPTIONS --require of pmx's Node preload, unless the app turned it off (node_preload = false).</summary>
    void AddNodePreload(AppSpec spec, IDictionary<string, string> environment);
    /// <summary>The app is gone: close the sockets bound for its Node workers' listen() calls.</summary>
    void ReleaseNodeListens(string appName);
}

internal sealed class ListenException(string message) : Exception(message);
