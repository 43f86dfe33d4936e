using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Logs;
using Pmx.Sockets;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>The real sockets, log pipes and readiness channels around each worker.</summary>
internal sealed class WorkerPlumbing : IWorkerPlumbing
{
    readonly LogRouter _logs;
    readonly OutputPump _pump;
    readonly string _notifyDirectory;
    readonly Action<string> _warn;

    /// <param name="notifyDirectory">Where the workers' sd_notify sockets go; emptied of a previous daemon's.</param>
    public WorkerPlumbing(LogRouter logs, OutputPump pump, string notifyDirectory, Action<string> warn)
    {
        _logs = logs;
        _pump = pump;
        _notifyDirectory = notifyDirectory;
        _warn = warn;
        NotifySocket.PrepareDirectory(notifyDirectory);
    }

    public IListenSocket Listen(AppSpec spec) => TcpListenSocket.Open(spec);

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr)
    {
        var (outSink, errSink) = _logs.CreateSinks(spec, instance);
        _pump.Attach(stdout, outSink);
        _pump.Attach(stderr, errSink);
    }

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        var socket = NotifySocket.Open(_notifyDirectory, workerLabel, onMessage, _warn);
        return new NotifyChannel(socket.Path, socket);
    }

    public IDisposable AttachNodeIpc(Socket channel, Action<ReadinessMessage> onMessage) =>
        NodeIpcReader.Attach(channel, onMessage);
}
