using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Logs;
using Pmx.Sockets;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>The real sockets, log pipes and readiness channels around each worker.</summary>
internal sealed class WorkerPlumbing(LogRouter logs, OutputPump pump) : IWorkerPlumbing
{
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

    public IDisposable AttachNodeIpc(Socket channel, Action<ReadinessMessage> onMessage) =>
        NodeIpcReader.Attach(channel, onMessage);
}
