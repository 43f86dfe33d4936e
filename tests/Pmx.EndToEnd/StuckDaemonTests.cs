using System.Diagnostics;
using System.Net.Sockets;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 11: a daemon whose loop is stuck must not freeze the CLI. The "daemon" here is the test
/// itself listening on PMX_HOME/pmx.sock and never answering (or never accepting).
/// </summary>
public class StuckDaemonTests
{
    [Test, Timeout(60_000)]
    public async Task ListGivesUpOnADaemonThatNeverAnswersAndSaysWhatItWaitedFor(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        using var listener = ListenWithoutAnswering(sandbox.Home, backlog: 16);

        var clock = Stopwatch.StartNew();
        var result = await PmxRun.Run(["list"], ct, WithShortAnswerDeadline(sandbox), sandbox.WorkDir);

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains($"pmx: the daemon at PMX_HOME={sandbox.Home} accepted the connection but sent no answer to 'list' within 1.5 s");
        await Assert.That(result.Stderr).Contains(sandbox.DaemonLog);
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(30));
    }

    [Test, Timeout(60_000)]
    public async Task DescribeGivesUpOnADaemonThatNeverAnswers(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        using var listener = ListenWithoutAnswering(sandbox.Home, backlog: 16);

        var result = await PmxRun.Run(["describe", "web"], ct, WithShortAnswerDeadline(sandbox), sandbox.WorkDir);

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("sent no answer to 'describe' within 1.5 s");
        await Assert.That(result.Stderr).DoesNotContain("pmx: pmx:");
    }

    [Test, Timeout(60_000)]
    public async Task ListGivesUpOnADaemonThatNeverAcceptsTheConnection(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        // Backlog 0 queues one connection; the test takes it, so pmx's connect waits for room.
        using var listener = ListenWithoutAnswering(sandbox.Home, backlog: 0);
        using var first = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        first.Connect(new UnixDomainSocketEndPoint(Path.Combine(sandbox.Home, "pmx.sock")));

        var result = await PmxRun.Run(["list"], ct, sandbox.Env, sandbox.WorkDir);

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("did not accept the connection within 5 s");
    }

    static Dictionary<string, string> WithShortAnswerDeadline(PmxSandbox sandbox) =>
        new(sandbox.Env) { ["PMX_CLIENT_TIMEOUT_MS"] = "1500" };

    /// <summary>Listens on the daemon's socket and never accepts: connections sit in the backlog, unanswered.</summary>
    static Socket ListenWithoutAnswering(string home, int backlog)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(home, "pmx.sock")));
        socket.Listen(backlog);
        return socket;
    }
}
