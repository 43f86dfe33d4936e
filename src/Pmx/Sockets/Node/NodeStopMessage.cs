using System.Text;
using Pmx.Processes;

namespace Pmx.Sockets.Node;

/// <summary>
/// The graceful stop pmx sends a Node worker on Windows, where there are no signals: an internal
/// message the preload turns into the app's own handler for kill_signal (process.emit('SIGINT')),
/// or PM2's 'shutdown' message when the app listens for messages but not for the signal.
/// </summary>
internal static class NodeStopMessage
{
    public const string Command = "NODE_PMX_STOP";

    public static byte[] For(int killSignal) =>
        Encoding.UTF8.GetBytes($"{{\"cmd\":\"{Command}\",\"signal\":\"{SignalNames.NameOf(killSignal)}\"}}\n");
}
