using Microsoft.Win32.SafeHandles;
using Pmx.Logs;
using static Pmx.Interop.Interop;

namespace Pmx.Tests.Logs;

/// <summary>
/// Issue 14: the keeper holds a copy of every worker's pipe, so a daemon killed at any instant must
/// not have taken out of the pipe a line it has not written yet: the next daemon reads it again.
/// </summary>
public class OutputPumpKeeperTests
{
    [Test, Timeout(30_000)]
    public async Task ALineStaysInThePipeUntilItIsWrittenAndIsDeliveredOnce(CancellationToken ct)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pump = new OutputPump(() => written.Task, writtenWait: TimeSpan.FromMinutes(1));
        using var pipe = new TestPipe();
        using var keeperCopy = new SafeFileHandle(fcntl((int)pipe.ReadEnd.DangerousGetHandle(), F_DUPFD, 0), ownsHandle: true);
        var sink = new RecordingSink();
        pump.Attach(pipe.ReadEnd, sink);

        pipe.Write("tick 1\n");
        while (sink.Count == 0) await Task.Delay(5, ct);
        await Assert.That(HoldsData(keeperCopy)).IsTrue().Because("the line is delivered but not written: a daemon killed now must leave it in the pipe");

        written.SetResult();
        while (HoldsData(keeperCopy)) await Task.Delay(5, ct);
        pipe.Write("tick 2\n");
        while (sink.Count < 2) await Task.Delay(5, ct);
        await Assert.That(sink.Lines).IsEquivalentTo(["tick 1", "tick 2"], CollectionOrdering.Matching);
    }

    static bool HoldsData(SafeFileHandle readEnd) => (PollNow((int)readEnd.DangerousGetHandle(), POLLIN) & POLLIN) != 0;
}
