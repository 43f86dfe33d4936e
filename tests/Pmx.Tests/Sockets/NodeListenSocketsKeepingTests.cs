using Pmx.Config;
using Pmx.Sockets;
using Pmx.Sockets.Node;

namespace Pmx.Tests.Sockets;

/// <summary>
/// Issue 14: a Node worker's on-demand socket is held by the keeper and recorded, and a socket put
/// back after a daemon death is what the app's next listen() gets (no second bind).
/// </summary>
public class NodeListenSocketsKeepingTests
{
    static readonly AppSpec App = new() { Name = "app", Script = "app.js", Cwd = "/", Interpreter = "node" };

    [Test, Timeout(30_000)]
    public async Task ASocketBoundForListenIsHeldRecordedAndDroppedWhenTheAppIsReleased(CancellationToken ct)
    {
        var held = new List<string>();
        var dropped = new List<string>();
        using var sockets = new NodeListenSockets();
        sockets.KeepWith(handle => { var key = $"key-{handle.DangerousGetHandle()}"; held.Add(key); return key; }, dropped.Add);

        var answer = sockets.Listen(App, "127.0.0.1", 0);

        await Assert.That(answer).IsTypeOf<NodeListenAnswer.Socket>();
        await Assert.That(held.Count).IsEqualTo(1);
        var record = sockets.Records().Single();
        await Assert.That(record).IsEqualTo(new NodeListenRecord("app", "127.0.0.1", 0, held[0]));
        sockets.Release("app");
        await Assert.That(dropped).IsEquivalentTo(held);
        await Assert.That(sockets.Records()).IsEmpty();
    }

    [Test, Timeout(30_000)]
    public async Task ARestoredSocketIsWhatTheAppsNextListenGetsAndTheKeeperHoldsItAgain(CancellationToken ct)
    {
        var held = new List<string>();
        using var sockets = new NodeListenSockets();
        sockets.KeepWith(_ => { held.Add("socket:[1]"); return "socket:[1]"; }, _ => { });
        var survivor = TcpListenSocket.Open(App with { Host = "127.0.0.1", Port = 0 });

        sockets.Restore(new NodeListenRecord("app", "127.0.0.1", 0, "socket:[1]"), survivor);
        var answer = sockets.Listen(App, "127.0.0.1", 0);

        await Assert.That(answer).IsEqualTo(new NodeListenAnswer.Socket(survivor));
        await Assert.That(held).IsEquivalentTo(["socket:[1]"]);
        await Assert.That(sockets.Records().Single().KeeperKey).IsEqualTo("socket:[1]");
    }
}
