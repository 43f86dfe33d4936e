using System.Net.Sockets;
using Pmx.Control;

namespace Pmx.Tests.Control;

public class ControlClientTests
{
    static Task<ControlResult> List(string socketPath, CancellationToken ct) =>
        ControlClient.SendAsync(socketPath, new ControlRequest { Command = "list" }, _ => { }, ct);

    /// <summary>
    /// What a daemon killed with SIGKILL leaves behind: a socket file nobody listens on. A bound
    /// socket that never listens refuses connections the same way; it is kept open because .NET
    /// deletes the file when the socket that bound it is closed.
    /// </summary>
    static Socket LeaveStaleSocket(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        return socket;
    }

    [Test, Timeout(10_000)]
    public async Task NoSocketFileMeansNoDaemon(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();

        await Assert.That(async () => { await List(folder.SocketPath, ct); }).Throws<DaemonNotRunningException>();
    }

    [Test, Timeout(10_000)]
    public async Task ASocketFileNobodyListensOnMeansNoDaemon(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        using var stale = LeaveStaleSocket(folder.SocketPath);

        await Assert.That(File.Exists(folder.SocketPath)).IsTrue();
        await Assert.That(async () => { await List(folder.SocketPath, ct); }).Throws<DaemonNotRunningException>();
    }

    [Test, Timeout(10_000)]
    public async Task AStaleSocketFileIsRemovedSoANewDaemonCanListen(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var stale = LeaveStaleSocket(folder.SocketPath);

        var check = await ControlServer.TryCleanStaleSocketAsync(folder.SocketPath, ct);
        var fileRemoved = !File.Exists(folder.SocketPath);
        stale.Dispose();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0, "fresh").AsTask());

        await Assert.That(check).IsEqualTo(StaleSocketCheck.RemovedStale);
        await Assert.That(fileRemoved).IsTrue();
        await Assert.That((await List(folder.SocketPath, ct)).Message).IsEqualTo("fresh");
    }

    [Test, Timeout(10_000)]
    public async Task ARunningDaemonsSocketIsLeftAlone(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0, "alive").AsTask());

        var check = await ControlServer.TryCleanStaleSocketAsync(folder.SocketPath, ct);

        await Assert.That(check).IsEqualTo(StaleSocketCheck.DaemonRunning);
        await Assert.That((await List(folder.SocketPath, ct)).Message).IsEqualTo("alive");
    }

    [Test, Timeout(10_000)]
    public async Task NoSocketFileIsReportedAsAbsent(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();

        await Assert.That(await ControlServer.TryCleanStaleSocketAsync(folder.SocketPath, ct)).IsEqualTo(StaleSocketCheck.Absent);
    }

    [Test, Timeout(10_000)]
    public async Task StartingOnATakenPathSaysAnotherDaemonMayBeRunning(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var first = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask());

        await Assert.That(() => ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask()))
            .Throws<IOException>().WithMessageContaining("Another daemon may be running");
    }

    [Test, Timeout(10_000)]
    public async Task ADaemonThatHangsUpWithoutAnAnswerPointsAtItsLog(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(folder.SocketPath));
        listener.Listen();
        var hangUp = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(ct);
            var buffer = new byte[4096];
            await connection.ReceiveAsync(buffer, ct); // read the request, then close without a word
        }, ct);

        await Assert.That(async () => { await List(folder.SocketPath, ct); })
            .Throws<ControlProtocolException>()
            .WithMessage($"pmx: the daemon closed the connection without an answer; it may have crashed. See {Path.Combine(folder.Root, "daemon.log")}.");
        await hangUp;
    }

    [Test]
    public async Task ASocketPathTooLongForUnixSocketsSaysToShortenPmxHome()
    {
        var path = "/tmp/" + new string('x', 120) + "/pmx.sock";

        await Assert.That(() => ControlServer.Start(path, (_, responder, _) => responder.Result(0).AsTask()))
            .Throws<IOException>().WithMessageContaining("Set PMX_HOME to a shorter folder");
    }
}
