using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>Issue 11, defect 1: only the worker's own user is heard on its sd_notify socket; the name fits any app name.</summary>
public class NotifySecurityTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Test, Timeout(60_000)]
    [Arguments(64)]
    [Arguments(100)]
    public async Task AnAppWithALongNameStartsAndComesOnline(int nameLength, CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var name = new string('n', nameLength);
        sandbox.WriteConfig($"""
            [[apps]]
            name = "{name}"
            script = "{PmxSandbox.TestWorker}"
            args = ["--notify-ready"]
            wait_ready = true
            listen_timeout = 15000
            """);

        var up = await sandbox.Pmx(ct, "up");

        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stdout + up.Stderr);
        var listed = await sandbox.List(ct);
        await Assert.That(listed.Single().Name).IsEqualTo(name);
        await Assert.That(listed.Single().Status).IsEqualTo("online");
    }

    [Test, Timeout(90_000)]
    public async Task ADatagramFromAnotherUserCannotMakeANeverReadyWorkerReadyNorChangeWhatDescribePrints(CancellationToken ct)
    {
        if (Environment.UserName != "root") Skip.Test("needs root to send as another user");
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "{PmxSandbox.TestWorker}"
            args = ["--never-ready", "--status", "warming up"]
            wait_ready = true
            listen_timeout = 60000
            """);
        using var upCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // `up` waits for readiness that never comes; it runs beside the test and is cancelled at its end.
        var up = sandbox.Pmx(upCancel.Token, "up");
        try
        {
            await Poll.Until(async () => (await Describe(sandbox, ct)).Contains("warming up"), Deadline, "the worker's own STATUS", ct);
            var pid = (await sandbox.List(ct)).Single().Pid;
            var notifySocket = NotifySocketOf(pid);

            var attacker = await SendAsNobody(notifySocket, "READY=1\nSTATUS=\u001b[31mpwned", ct);
            // Ours (same user as the daemon) arrives after the attacker's attempt: once it shows, that one was judged.
            SendAsOurselves(notifySocket, "STATUS=\u001b[2Jmarker");
            await Poll.Until(async () => (await Describe(sandbox, ct)).Contains("marker"), Deadline, "our own STATUS", ct);

            await Assert.That(attacker).IsNotEqualTo(0).Because("the socket lives in an owner-only folder");
            var describe = await Describe(sandbox, ct);
            await Assert.That(describe).DoesNotContain("pwned");
            await Assert.That(describe).Contains("\\e[2Jmarker");
            await Assert.That(describe).DoesNotContain("\u001b");
            await Assert.That((await sandbox.List(ct)).Single().Status).IsEqualTo("launching");
        }
        finally
        {
            upCancel.Cancel();
            try { await up; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>describe's output, or "" while `up` has not yet registered the app.</summary>
    static async Task<string> Describe(PmxSandbox sandbox, CancellationToken ct)
    {
        var describe = await sandbox.Pmx(ct, "describe", "web");
        return describe.ExitCode == 0 ? describe.Stdout : "";
    }

    static string NotifySocketOf(int pid)
    {
        var environ = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        var path = environ.Single(v => v.StartsWith("NOTIFY_SOCKET=", StringComparison.Ordinal))["NOTIFY_SOCKET=".Length..];
        return path;
    }

    static void SendAsOurselves(string notifySocket, string state)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(notifySocket.StartsWith('@') ? "\0" + notifySocket[1..] : notifySocket));
        socket.Send(System.Text.Encoding.UTF8.GetBytes(state));
    }

    /// <summary>A datagram sent by python as uid 65534; its exit code (non-zero when it could not send).</summary>
    static async Task<int> SendAsNobody(string notifySocket, string state, CancellationToken ct)
    {
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardError = true };
        const string script = "import socket, sys\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n" +
                              "p = sys.argv[1]\np = '\\0' + p[1:] if p.startswith('@') else p\n" +
                              "try:\n    s.sendto(sys.argv[2].encode(), p)\nexcept OSError as e:\n    print(e, file=sys.stderr); sys.exit(3)\n";
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, notifySocket, state])
            start.ArgumentList.Add(arg);
        using var sender = Process.Start(start)!;
        var stderr = sender.StandardError.ReadToEndAsync(ct);
        await sender.WaitForExitAsync(ct);
        if (sender.ExitCode is not (0 or 3)) throw new InvalidOperationException($"the sender failed (exit {sender.ExitCode}): {await stderr}");
        return sender.ExitCode;
    }
}
