using Microsoft.Extensions.Logging;
using Pmx.Daemon;
using Pmx.Sockets;
using Pmx.Sockets.Node;

namespace Pmx.Keeper;

/// <summary>
/// Puts a dead daemon's Node on-demand sockets (bound for a worker's listen(), no `port` key) back
/// where the next listen() looks: the adopted workers accept on them still, so a reload's new
/// workers must get the SAME socket, not a second bind whose sibling closes with queued connections
/// when the old workers exit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class NodeListenAdoption
{
    /// <summary>Before the workers are adopted: WorkerAdoption.Finish drops every socket nobody took.</summary>
    public static void Restore(DaemonState previous, KeeperLink keeper, NodeListenSockets nodeListens, ILogger log)
    {
        foreach (var record in previous.NodeListens ?? [])
        {
            var app = previous.Apps.FirstOrDefault(a => a.Spec.Name == record.App);
            if (app is null || !keeper.HandedBack.Remove(record.KeeperKey, out var descriptor))
            {
                log.LogWarning("the Node socket {Host}:{Port} of app '{App}' did not survive the previous daemon; the app's next listen() binds a new one",
                    record.Host, record.Port, record.App);
                continue;
            }
            nodeListens.Restore(record, TcpListenSocket.Adopt(descriptor, app.Spec with { Host = record.Host, Port = record.Port }));
        }
    }
}
