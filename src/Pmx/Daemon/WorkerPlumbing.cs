using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Logs;
using Pmx.Processes;
using Pmx.Sockets;
using Pmx.Sockets.Node;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>The real sockets, log pipes and readiness channels around each worker.</summary>
internal sealed class WorkerPlumbing : IWorkerPlumbing, IDisposable
{
    readonly LogRouter _logs;
    readonly IOutputPump _pump;
    readonly string _notifyDirectory;
    readonly string? _nodePreloadPath;
    readonly Action<string> _warn;
    readonly NodeListenSockets _nodeListens = new();

    /// <summary>The sockets Node workers' listen() get: a keeper holds them, the state file records them (DaemonAdoption).</summary>
    public NodeListenSockets NodeListens => _nodeListens;

    /// <param name="notifyDirectory">Where the workers' sd_notify sockets go; emptied of a previous daemon's.</param>
    /// <param name="nodePreloadPath">The preload script Node workers get through NODE_OPTIONS.</param>
    public WorkerPlumbing(LogRouter logs, IOutputPump pump, string notifyDirectory, string? nodePreloadPath, Action<string> warn)
    {
        _logs = logs;
        _pump = pump;
        _notifyDirectory = notifyDirectory;
        _nodePreloadPath = nodePreloadPath;
        _warn = warn;
        if (OperatingSystem.IsLinux()) NotifySocket.PrepareDirectory(notifyDirectory);
    }

    public IListenSocket Listen(AppSpec spec) => TcpListenSocket.Open(spec);

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr, Action<string> onAddressInUse, StderrTail stderrTail)
    {
        var (outSink, errSink) = _logs.CreateSinks(spec, instance);
        _pump.Attach(stdout, outSink);
        _pump.Attach(stderr, new AddressInUseWatch(stderrTail.Watch(errSink), onAddressInUse));
    }

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        // Windows has no AF_UNIX datagrams (Wine has none at all): Node's channel is the readiness path there.
        if (!OperatingSystem.IsLinux()) return new NotifyChannel(null, NoResource.Instance);
        var socket = NotifySocket.Open(_notifyDirectory, workerLabel, onMessage, _warn);
        return new NotifyChannel(socket.Path, socket);
    }

    public IDisposable AttachNodeIpc(AppSpec spec, INodeChannel channel, Action<ReadinessMessage> onMessage) =>
        NodeIpcReader.Attach(channel, onMessage, new NodeListenResponder(_nodeListens, spec, _warn));

    public void AddNodePreload(AppSpec spec, IDictionary<string, string> environment)
    {
        if (_nodePreloadPath != null) NodePreload.AddTo(environment, spec, _nodePreloadPath);
    }

    public void ReleaseNodeListens(string appName) => _nodeListens.Release(appName);

    public void Dispose() => _nodeListens.Dispose();

    sealed class NoResource : IDisposable
    {
        public static readonly NoResource Instance = new();
        public void Dispose() { }
    }
}
