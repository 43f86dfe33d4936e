using System.Net.Sockets;
using Pmx.Sockets;
using Pmx.Supervisor;
using Pmx.Tests.Processes;
using static Pmx.Interop.Interop;

namespace Pmx.Tests.Sockets;

public class NodeIpcReaderTests
{
    [Test, Timeout(30_000)]
    public async Task AWorkerRepeatingReadyInALoopIsDeliveredOnce(CancellationToken ct)
    {
        await Assert.That(CreateUnixStreamPair(out var daemonEnd, out var workerEnd)).IsEqualTo((Errno)0);
        var deliveries = 0;
        using var worker = new Socket(new SafeSocketHandle(workerEnd, ownsHandle: true));
        var daemon = new Socket(new SafeSocketHandle(daemonEnd, ownsHandle: true));
        using var reader = NodeIpcReader.Attach(new Pmx.Sockets.Node.UnixNodeChannel(daemon), (ReadinessMessage _) => Interlocked.Increment(ref deliveries));

        var flood = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\"ready\"\n", 10_000)));
        await worker.SendAsync(flood, SocketFlags.None, ct);
        // Every byte sent sits in the daemon end's queue until the reader takes it.
        await Poll.Until(() => daemon.Available == 0 && Volatile.Read(ref deliveries) > 0, TimeSpan.FromSeconds(10), "the reader to drain the channel", ct);

        await Assert.That(Volatile.Read(ref deliveries)).IsEqualTo(1);
    }
}
