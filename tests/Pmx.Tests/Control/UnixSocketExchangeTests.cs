using System.Net.Sockets;
using System.Text;
using Pmx.Cli;
using Pmx.Control;

namespace Pmx.Tests.Control;

/// <summary>
/// The Linux `list` exchange over plain syscalls (<see cref="UnixSocketExchange"/>) against a real
/// <see cref="ControlServer"/> or a real listener that misbehaves: same answers, same failures and
/// messages as the System.Net.Sockets path.
/// </summary>
public class UnixSocketExchangeTests
{
    static readonly ProcessInfo WebRow = new() { Name = "web", Instance = 0, Pid = 42, Status = ProcessStatus.Online };

    static byte[] SendList(string socketPath, string? filter = null) =>
        UnixSocketExchange.SendLine(socketPath, ListExchange.Request(filter), ListExchange.IsResult);

    static Socket ListenWithoutAnswering(string socketPath, int backlog)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        socket.Listen(backlog);
        return socket;
    }

    [Test, Timeout(10_000)]
    public async Task TheDaemonReceivesTheListRequestAndItsResultComesBackAfterProgress(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        ControlRequest? received = null;
        await using var server = ControlServer.Start(folder.SocketPath, async (request, responder, _) =>
        {
            received = request;
            await responder.Progress("still counting");
            await responder.Result(ExitCodes.Ok, null, [WebRow]);
        });

        var answer = ListExchange.Read(await Task.Run(() => SendList(folder.SocketPath, "we"), ct));

        await Assert.That(received!.Command).IsEqualTo("list");
        await Assert.That(received.Target).IsEqualTo("we");
        await Assert.That(answer.Type).IsEqualTo("result");
        await Assert.That(ListExchange.Rows(answer.Processes).Single().Pid).IsEqualTo(42);
    }

    [Test, Timeout(10_000)]
    public async Task NoSocketFileMeansNoDaemon(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();

        await Assert.That(() => SendList(folder.SocketPath)).Throws<DaemonNotRunningException>();
    }

    [Test, Timeout(10_000)]
    public async Task ASocketFileNobodyListensOnMeansNoDaemon(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        // Bound but not listening: connect(2) is refused, as at a SIGKILLed daemon's socket.
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(folder.SocketPath));

        await Assert.That(() => SendList(folder.SocketPath)).Throws<DaemonNotRunningException>();
    }

    [Test, Timeout(30_000)]
    public async Task ADaemonThatNeverAnswersIsReportedWithTheDeadlineAndItsLog(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        using var listener = ListenWithoutAnswering(folder.SocketPath, backlog: 16);
        var before = Environment.GetEnvironmentVariable(ClientDeadlines.AnswerOverrideVariable);
        Environment.SetEnvironmentVariable(ClientDeadlines.AnswerOverrideVariable, "300");
        try
        {
            await Assert.That(() => SendList(folder.SocketPath)).Throws<ControlProtocolException>().WithMessage(
                $"pmx: the daemon at PMX_HOME={folder.Root} accepted the connection but sent no answer to 'list' within 0.3 s; " +
                $"it may be stuck — see {Path.Combine(folder.Root, "daemon.log")}.");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClientDeadlines.AnswerOverrideVariable, before);
        }
    }

    [Test, Timeout(10_000)]
    public async Task ADaemonThatHangsUpWithoutAnAnswerPointsAtItsLog(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        using var listener = ListenWithoutAnswering(folder.SocketPath, backlog: 16);
        var hangUp = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(ct);
            await connection.ReceiveAsync(new byte[4096], ct); // read the request, then close without a word
        }, ct);

        await Assert.That(() => SendList(folder.SocketPath)).Throws<ControlProtocolException>()
            .WithMessage($"pmx: the daemon closed the connection without an answer; it may have crashed. See {Path.Combine(folder.Root, "daemon.log")}.");
        await hangUp;
    }

    [Test, Timeout(10_000)]
    public async Task ALastLineWithoutANewlineStillCounts(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        using var listener = ListenWithoutAnswering(folder.SocketPath, backlog: 16);
        var answer = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(ct);
            await connection.ReceiveAsync(new byte[4096], ct);
            await connection.SendAsync(Encoding.UTF8.GetBytes("""{"type":"result","exit_code":0,"processes":[]}"""), ct);
        }, ct);

        var line = SendList(folder.SocketPath);
        await answer;

        await Assert.That(ListExchange.Read(line).ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task ASocketPathTooLongForUnixSocketsSaysToShortenPmxHome()
    {
        using var folder = new TempSocketFolder();
        var deep = Path.Combine(folder.Root, new string('x', 120));
        Directory.CreateDirectory(deep);
        var path = Path.Combine(deep, "pmx.sock");
        await File.WriteAllTextAsync(path, ""); // past the file check, so the length check speaks

        await Assert.That(() => SendList(path)).Throws<IOException>().WithMessageContaining("Set PMX_HOME to a shorter folder");
    }
}
