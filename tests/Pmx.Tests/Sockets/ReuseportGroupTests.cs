using System.Net.Sockets;
using Pmx.Sockets;
using Pmx.Supervisor;

namespace Pmx.Tests.Sockets;

/// <summary>
/// Issue 11, defect 8: steering a SO_REUSEPORT group by slot index sends connections to the wrong
/// sockets once a socket has left the group and another joined. Real sockets on 127.0.0.1; the
/// kernel's accept queues say where each connection went.
/// </summary>
public class ReuseportGroupTests
{
    const int Connections = 40;

    [Test, Timeout(30_000)]
    public async Task SteeringAfterASocketLeftAndAnotherJoinedReachesExactlyTheNamedSockets(CancellationToken ct)
    {
        var group = new ReuseportGroup();
        var leaving = Listen(group, port: 0);
        var port = leaving.Port;
        var kept = Listen(group, port);
        var last = Listen(group, port);
        group.Close(leaving); // the kernel moves the last member into its place: last, kept (not kept, last)
        var newcomer = Listen(group, port); // joins at the end: last, kept, newcomer
        await ClosingAll(group, async clients =>
        {
            group.SteerTo([kept, newcomer]);

            await Connect(clients, port, ct);

            await Poll.Until(() => kept.AcceptQueueLength + newcomer.AcceptQueueLength + last.AcceptQueueLength == Connections,
                TimeSpan.FromSeconds(10), "every connection in an accept queue", ct);
            await Assert.That(last.AcceptQueueLength).IsEqualTo(0);
            await Assert.That(kept.AcceptQueueLength).IsGreaterThan(0);
            await Assert.That(newcomer.AcceptQueueLength).IsGreaterThan(0);
        });
    }

    [Test, Timeout(30_000)]
    public async Task SpreadingOverAllReachesEverySocketOfTheGroup(CancellationToken ct)
    {
        var group = new ReuseportGroup();
        var first = Listen(group, port: 0);
        var port = first.Port;
        var second = Listen(group, port);
        await ClosingAll(group, async clients =>
        {
            group.SteerTo([second]);
            group.SpreadOverAll();

            await Connect(clients, port, ct);

            await Poll.Until(() => first.AcceptQueueLength + second.AcceptQueueLength == Connections,
                TimeSpan.FromSeconds(10), "every connection in an accept queue", ct);
            await Assert.That(first.AcceptQueueLength).IsGreaterThan(0);
            await Assert.That(second.AcceptQueueLength).IsGreaterThan(0);
        });
    }

    /// <summary>
    /// A closed socket leaves the group at once even while another process still holds a copy of
    /// it (the keeper does, until it handles the daemon's drop): else the kernel keeps it in its
    /// place, steering computed for the group without it names it, and connections queue where no
    /// worker accepts, reset when the copy closes (SocketLifecycleTests' scale-down after an errored slot).
    /// </summary>
    [Test, Timeout(30_000)]
    public async Task AClosedSocketLeavesTheGroupAtOnceThoughACopyOfItIsStillOpen(CancellationToken ct)
    {
        var group = new ReuseportGroup();
        var first = Listen(group, port: 0);
        var port = first.Port;
        var leaving = Listen(group, port);
        var last = Listen(group, port);
        var copy = Pmx.Interop.Interop.fcntl((int)leaving.Handle.DangerousGetHandle(), Pmx.Interop.Interop.F_DUPFD, 0);
        await Assert.That(copy).IsGreaterThan(2);
        using var keeperCopy = new Microsoft.Win32.SafeHandles.SafeFileHandle(copy, ownsHandle: true);
        await ClosingAll(group, async clients =>
        {
            group.Close(leaving); // the group is now first, last
            group.SteerTo([last]);

            await Connect(clients, port, ct);

            await Poll.Until(() => first.AcceptQueueLength + last.AcceptQueueLength == Connections,
                TimeSpan.FromSeconds(10), "every connection in a kept socket's accept queue", ct);
            await Assert.That(first.AcceptQueueLength).IsEqualTo(0);
        });
    }

    /// <summary>Runs <paramref name="test"/> with a list for its clients; then closes them and every socket of the group, even when it fails.</summary>
    static async Task ClosingAll(ReuseportGroup group, Func<List<TcpClient>, Task> test)
    {
        var clients = new List<TcpClient>();
        try { await test(clients); }
        finally
        {
            foreach (var client in clients) client.Dispose();
            group.CloseAll();
        }
    }

    /// <summary>Connects <see cref="Connections"/> clients; the kernel completes each handshake into an accept queue.</summary>
    static async Task Connect(List<TcpClient> clients, int port, CancellationToken ct)
    {
        for (var i = 0; i < Connections; i++)
        {
            var client = new TcpClient();
            clients.Add(client);
            await client.ConnectAsync("127.0.0.1", port, ct);
        }
    }

    static TcpListenSocket Listen(ReuseportGroup group, int port)
    {
        var socket = TcpListenSocket.Open(new Pmx.Config.AppSpec
        {
            Name = "web", Script = "/bin/app", Cwd = "/", Host = "127.0.0.1", Port = port,
        });
        group.Joined(socket);
        return socket;
    }
}
