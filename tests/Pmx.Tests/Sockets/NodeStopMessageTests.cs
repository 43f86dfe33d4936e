using Pmx.Processes;
using Pmx.Sockets.Node;
using Pmx.Tests.Processes;

namespace Pmx.Tests.Sockets;

/// <summary>
/// The graceful stop Windows workers get instead of a signal, checked with Linux's node: the
/// preload turns NODE_PMX_STOP on the channel into the app's own handler for kill_signal, or into
/// PM2's 'shutdown' message for an app that only listens to messages.
/// </summary>
// [NotInParallel] without a key: these tests reap with waitpid(-1), see ChildProcesses.
[NotInParallel]
public class NodeStopMessageTests
{
    [Test, Timeout(30_000)]
    [Arguments("process.on('SIGINT', (s) => { console.log('stopping on ' + s); process.exit(0); });", "stopping on SIGINT")]
    [Arguments("process.on('message', (m) => { console.log('message ' + m); process.exit(0); });", "message shutdown")]
    public async Task TheStopMessageRunsTheAppsOwnStopHandler(string handler, string expected, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("pmx-node-stop-");
        try
        {
            var preload = Path.Combine(folder.FullName, "preload.js");
            await File.WriteAllBytesAsync(preload, NodePreload.Script(), ct);
            var app = Path.Combine(folder.FullName, "app.js");
            await File.WriteAllTextAsync(app, handler + "\nsetInterval(() => {}, 1000);\n", ct);
            await using var children = new ChildProcesses();
            var environment = ChildProcesses.CurrentEnvironment();
            environment["PMX_APP"] = "stop-test";
            environment[NodePreload.NodeOptions] = $"--require \"{preload}\"";
            var worker = children.Spawn(ChildProcesses.Request("node", app) with { Environment = environment, NodeIpcChannel = true });

            await Assert.That(worker.NodeIpc!.Send(NodeStopMessage.For(SignalNames.SIGINT))).IsTrue();
            var stdout = await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct);
            var exit = await children.ExitOf(worker.Pid, ct);

            await Assert.That(stdout.Trim()).IsEqualTo(expected);
            await Assert.That(exit).IsEqualTo(ExitStatus.Exited(0));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
