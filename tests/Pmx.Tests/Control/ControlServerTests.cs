using System.Net.Sockets;
using System.Text;
using Pmx.Cli;
using Pmx.Control;

namespace Pmx.Tests.Control;

public class ControlServerTests
{
    static readonly ProcessInfo WebRow = new() { Name = "web", Instance = 0, Pid = 42, Status = ProcessStatus.Online };

    static Task<ControlResult> Send(string socketPath, string command, CancellationToken ct, List<string>? progress = null) =>
        ControlClient.SendAsync(socketPath, new ControlRequest { Command = command }, line => progress?.Add(line), ct);

    [Test, Timeout(10_000)]
    public async Task ProgressArrivesInOrderBeforeTheResult(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, async (request, responder, _) =>
        {
            await responder.Progress("web#0: new worker ready");
            await responder.Progress("web#1: new worker ready");
            await responder.Result(3, "reload failed", [WebRow]);
        });

        var progress = new List<string>();
        var result = await Send(folder.SocketPath, "reload", ct, progress);

        await Assert.That(progress).IsEquivalentTo(["web#0: new worker ready", "web#1: new worker ready"], CollectionOrdering.Matching);
        await Assert.That(result.ExitCode).IsEqualTo(3);
        await Assert.That(result.Message).IsEqualTo("reload failed");
        await Assert.That(result.Processes![0].Pid).IsEqualTo(42);
        await Assert.That(result.DaemonPmxVersion).IsEqualTo(BuildInfo.Version);
    }

    /// <summary>The request a server that answers Ok received from <paramref name="sent"/>.</summary>
    static async Task<ControlRequest> Received(ControlRequest sent, CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        ControlRequest? received = null;
        await using var server = ControlServer.Start(folder.SocketPath, async (request, responder, _) =>
        {
            received = request;
            await responder.Result(ExitCodes.Ok);
        });
        await ControlClient.SendAsync(folder.SocketPath, sent, _ => { }, ct);
        return received!;
    }

    [Test, Timeout(10_000)]
    public async Task TheHandlerReceivesTheRequestAsSent(CancellationToken ct)
    {
        var received = await Received(new ControlRequest { Command = "scale", Target = "web", Args = ["+2"], EnvName = "production" }, ct);

        await Assert.That(received.Command).IsEqualTo("scale");
        await Assert.That(received.Target).IsEqualTo("web");
        await Assert.That(received.Args).IsEquivalentTo(["+2"], CollectionOrdering.Matching);
        await Assert.That(received.EnvName).IsEqualTo("production");
    }

    /// <summary>The daemon reads a request a few KB at a time; `pmx up` sends the whole environment.</summary>
    [Test, Timeout(10_000)]
    public async Task ARequestLongerThanOneReadArrivesWhole(CancellationToken ct)
    {
        var big = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + i % 26)));

        var received = await Received(new ControlRequest { Command = "up", Environment = new Dictionary<string, string> { ["BIG"] = big, ["PATH"] = "/bin" } }, ct);

        await Assert.That(received.Environment!["BIG"]).IsEqualTo(big);
        await Assert.That(received.Environment["PATH"]).IsEqualTo("/bin");
    }

    [Test, Timeout(10_000)]
    public async Task TheSocketFileIsReadableAndWritableByItsOwnerOnly(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask());

        await Assert.That(File.GetUnixFileMode(folder.SocketPath)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test, Timeout(10_000)]
    public async Task ListIsAnsweredWhileAReloadIsStillRunning(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var reloadStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishReload = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ControlServer.Start(folder.SocketPath, async (request, responder, _) =>
        {
            if (request.Command == "reload")
            {
                reloadStarted.SetResult();
                await finishReload.Task;
            }
            await responder.Result(ExitCodes.Ok, request.Command);
        });

        var reload = Send(folder.SocketPath, "reload", ct);
        await reloadStarted.Task.WaitAsync(ct);
        // If connections were served one at a time, this would wait forever (and hit the Timeout).
        var list = await Send(folder.SocketPath, "list", ct);
        finishReload.SetResult();

        await Assert.That(list.Message).IsEqualTo("list");
        await Assert.That((await reload).Message).IsEqualTo("reload");
    }

    [Test, Timeout(10_000)]
    public async Task ACliOfAnotherProtocolIsToldHowToRestartTheDaemon(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var handlerRan = false;
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => { handlerRan = true; return responder.Result(0).AsTask(); });

        var request = new ControlRequest { Command = "list", ProtocolVersion = 99, PmxVersion = "9.9.9" };
        var result = await ControlClient.SendAsync(folder.SocketPath, request, _ => { }, ct);

        await Assert.That(result.ExitCode).IsEqualTo(ExitCodes.Failure);
        await Assert.That(result.Message).IsEqualTo(
            $"pmx: this CLI is pmx 9.9.9 (protocol 99) but the running daemon is pmx {BuildInfo.Version} (protocol {ControlProtocol.Version}), " +
            "and they cannot understand each other. Run 'pmx kill' to stop the old daemon (its apps stop too), then run your command again; " +
            "'pmx resurrect' starts what the last 'pmx save' recorded.");
        await Assert.That(handlerRan).IsFalse();
    }

    [Test, Timeout(10_000)]
    public async Task KillIsHonouredFromACliOfAnotherProtocol(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (request, responder, _) =>
            responder.Result(ExitCodes.Ok, $"{request.Command} from protocol {request.ProtocolVersion}").AsTask());

        // Fields this build does not know must not get in the way either.
        var result = await SendRaw(folder.SocketPath, """{"protocol_version":99,"pmx_version":"9.9.9","command":"kill","brand_new":{"x":1}}""", ct);

        await Assert.That(result).Contains("\"exit_code\":0");
        await Assert.That(result).Contains("kill from protocol 99");
    }

    [Test, Timeout(10_000)]
    public async Task ARequestThatIsNotJsonGetsAFailureResult(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask());

        var result = await SendRaw(folder.SocketPath, "hello daemon", ct);

        await Assert.That(result).StartsWith("""{"type":"result","message":"pmx: the daemon could not read the request""");
        await Assert.That(result).Contains("\"exit_code\":1");
    }

    [Test, Timeout(10_000)]
    public async Task AHandlerThatThrowsAnswersWithAFailure(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var logged = new List<string>();
        await using var server = ControlServer.Start(folder.SocketPath, (_, _, _) => throw new InvalidOperationException("no such app 'api'"),
            new ControlServerOptions { Log = line => { lock (logged) logged.Add(line); } });

        var result = await Send(folder.SocketPath, "stop", ct);

        await Assert.That(result.ExitCode).IsEqualTo(ExitCodes.Failure);
        await Assert.That(result.Message).IsEqualTo("pmx: the daemon failed while running 'stop': no such app 'api' (details in the daemon log)");
        string[] log;
        lock (logged) log = [.. logged];
        await Assert.That(log.Any(l => l.Contains("no such app"))).IsTrue();
    }

    [Test, Timeout(10_000)]
    public async Task AnAnswerThatCannotBeWrittenAsJsonBecomesAFailure(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) =>
            responder.Result(0, processes: [WebRow with { CpuPercent = double.NaN }]).AsTask());

        var result = await Send(folder.SocketPath, "list", ct);

        await Assert.That(result.ExitCode).IsEqualTo(ExitCodes.Failure);
        await Assert.That(result.Message).StartsWith("pmx internal error: the daemon could not encode its answer:");
    }

    [Test, Timeout(10_000)]
    public async Task AHandlerThatForgetsTheResultStillEndsTheConversation(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Progress("working").AsTask());

        var result = await Send(folder.SocketPath, "save", ct);

        await Assert.That(result.ExitCode).IsEqualTo(ExitCodes.Failure);
        await Assert.That(result.Message).IsEqualTo("pmx internal error: the daemon finished 'save' without an answer.");
    }

    [Test, Timeout(10_000)]
    public async Task ACliThatDisconnectsMidStreamDoesNotStopTheCommandOrTheServer(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reloadFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ControlServer.Start(folder.SocketPath, async (request, responder, _) =>
        {
            if (request.Command == "reload")
            {
                await responder.Progress("web#0: ready");
                await clientGone.Task;
                for (var slot = 1; slot < 50; slot++) await responder.Progress($"web#{slot}: ready");
                await responder.Result(ExitCodes.Ok);
                reloadFinished.SetResult();
                return;
            }
            await responder.Result(ExitCodes.Ok, "still here");
        });

        using (var socket = await ConnectRaw(folder.SocketPath, """{"protocol_version":1,"pmx_version":"0","command":"reload"}""", ct))
        {
            var buffer = new byte[256];
            await socket.ReceiveAsync(buffer, ct); // the first progress line: the command is under way
        }
        clientGone.SetResult();

        await reloadFinished.Task.WaitAsync(ct);
        var after = await Send(folder.SocketPath, "list", ct);
        await Assert.That(after.Message).IsEqualTo("still here");
    }

    [Test, Timeout(10_000)]
    public async Task AConnectionThatSendsNoRequestIsAnsweredAndClosedAfterTheReadDeadline(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        await using var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask(),
            new ControlServerOptions { RequestReadTimeout = TimeSpan.FromMilliseconds(200) });

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(folder.SocketPath), ct);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(ct);

        await Assert.That(answer).IsEqualTo("{\"type\":\"result\",\"message\":\"pmx: no request arrived within 0.2s; closing the connection.\",\"exit_code\":1,\"pmx_version\":\"" + BuildInfo.Version + "\"}\n");
    }

    [Test, Timeout(10_000)]
    public async Task StopDeletesTheSocketFile(CancellationToken ct)
    {
        using var folder = new TempSocketFolder();
        var server = ControlServer.Start(folder.SocketPath, (_, responder, _) => responder.Result(0).AsTask());

        await server.StopAsync();

        await Assert.That(File.Exists(folder.SocketPath)).IsFalse();
        await Assert.That(async () => { await Send(folder.SocketPath, "list", ct); }).Throws<DaemonNotRunningException>();
    }

    static async Task<Socket> ConnectRaw(string socketPath, string line, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        return socket;
    }

    /// <summary>Sends one raw line and returns everything the server answers until it hangs up.</summary>
    static async Task<string> SendRaw(string socketPath, string line, CancellationToken ct)
    {
        using var socket = await ConnectRaw(socketPath, line, ct);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(ct)).TrimEnd('\n');
    }
}
