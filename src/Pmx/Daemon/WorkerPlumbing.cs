using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Logs;
using Pmx.Sockets;
using Pmx.Sockets.Node;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>The real sockets, log pipes and readiness channels around each worker.</summary>
internal sealed class WorkerPlumbing : IWorkerPlumbing, IDisposable
{
    readonly LogRouter _logs;
    readonly OutputPump? _pump;
    readonly string _notifyDirectory;
    readonly string? _nodePreloadPath;
    readonly Action<string> _warn;
    readonly NodeListenSockets _nodeListens = new();

    /// <param name="notifyDirectory">Where the workers' sd_notify sockets go; emptied of a previous daemon's.</param>
    /// <param name="nodePreloadPath">The preload script Node workers get through NODE_OPTIONS.</param>
    /// <param name="pump">Null on Windows until its worker host brings pipes of its own (epoll is Linux's).</param>
    public WorkerPlumbing(LogRouter logs, OutputPump? pump, string notifyDirectory, string? nodePreloadPath, Action<string> warn)
    {
        _logs = logs;
        _pump = pump;
        _notifyDirectory = notifyDirectory;
        _nodePreloadPath = nodePreloadPath;
        _warn = warn;
        // sd_notify sockets are AF_UNIX datagrams, which Windows lacks (readiness there: Node IPC, pipes).
        if (!OperatingSystem.IsWindows()) NotifySocket.PrepareDirectory(notifyDirectory);
    }

    public IListenSocket Listen(AppSpec spec) => TcpListenSocket.Open(spec);

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr, Action<string> onAddressInUse)
    {
        var pump = _pump ?? throw new PlatformNotSupportedException("pmx: this daemon has no output pump for workers on this platform.");
        var (outSink, errSink) = _logs.CreateSinks(spec, instance);
        pump.Attach(stdout, outSink);
        pump.Attach(stderr, new AddressInUseWatch(errSink, onAddressInUse));
    }

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        var socket = NotifySocket.Open(_notifyDirectory, workerLabel, onMessage, _warn);
        return new NotifyChannel(socket.Path, socket);
    }

    public IDisposable AttachNodeIpc(AppSpec spec, Socket channel, Action<ReadinessMessage> onMessage) =>
        NodeIpcReader.Attach(channel, onMessage, new NodeListenResponder(_nodeListens, spec, _warn));

    public void AddNodePreload(AppSpec spec, IDictionary<string, string> environment)
    {
        if (_nodePreloadPath != null) NodePreload.AddTo(environment, spec, _nodePreloadPath);
    }

    public void ReleaseNodeListens(string appName) => _nodeListens.Release(appName);

    public void Dispose() => _nodeListens.Dispose();
}
