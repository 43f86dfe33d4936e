using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Logs;
using Pmx.Sockets;
using Pmx.Sockets.Node;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>The real sockets, log pipes and readiness channels around each worker.</summary>
internal sealed class WorkerPlumbing(LogRouter logs, OutputPump pump, string nodePreloadPath, Action<string> log) : IWorkerPlumbing, IDisposable
{
    readonly NodeListenSockets _nodeListens = new();

    public IListenSocket Listen(AppSpec spec) => TcpListenSocket.Open(spec);

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr)
    {
        var (outSink, errSink) = logs.CreateSinks(spec, instance);
        pump.Attach(stdout, outSink);
        pump.Attach(stderr, errSink);
    }

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        var socket = NotifySocket.Open(workerLabel, onMessage);
        return new NotifyChannel(socket.Path, socket);
    }

    public IDisposable AttachNodeIpc(AppSpec spec, Socket channel, Action<ReadinessMessage> onMessage) =>
        NodeIpcReader.Attach(channel, onMessage, new NodeListenResponder(_nodeListens, spec, log));

    public void AddNodePreload(AppSpec spec, IDictionary<string, string> environment) =>
        NodePreload.AddTo(environment, spec, nodePreloadPath);

    public void ReleaseNodeListens(string appName) => _nodeListens.Release(appName);

    public void Dispose() => _nodeListens.Dispose();
}
