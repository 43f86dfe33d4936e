using System.Net;
using System.Net.Sockets;

namespace Pmx.EndToEnd;

/// <summary>A fork-mode app that binds a port someone else holds: pmx names the port and the fix.</summary>
public class AddressInUseTests
{
    [Test, Timeout(60_000)]
    public async Task AWorkerThatDiesOfEaddrinuseGetsAHintNamingThePortInDescribeAndInTheStartFailure(CancellationToken ct)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "clash"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--port", "{port}"]
            max_restarts = 1
            """);

        var up = await sandbox.Pmx(ct, "up");
        var describe = await sandbox.PmxOk(ct, "describe", "clash");

        var hint = $"port {port} is already in use (EADDRINUSE) — another instance or program holds it; run the app in exec_mode = \"cluster\"";
        await Assert.That(up.ExitCode).IsEqualTo(1);
        await Assert.That(up.Stdout + up.Stderr).Contains(hint);
        await Assert.That(up.Stdout + up.Stderr).Contains($"it printed: testworker: cannot listen on 127.0.0.1:{port}: ");
        await Assert.That(describe.Stdout).Contains(hint);
        await Assert.That(File.ReadAllText(sandbox.DaemonLog)).Contains($"clash#0: port {port} is already in use (EADDRINUSE)");
    }
}
