using Pmx.Daemon;

namespace Pmx.Tests.Daemon;

/// <summary>
/// A Windows daemon that starts where one died restarts the slots whose workers died with their
/// Job Objects: each such restart is counted, and slots stopped or errored on purpose keep theirs.
/// </summary>
public class CountingTheRestartTests
{
    static WorkerRecord Worker(int pid) => new(pid, 12345, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Test]
    public async Task RunningSlotsCountOneMoreRestartStoppedAndErroredOnesKeepTheirCount()
    {
        var app = Supervisor.SupervisorRig.App("web", 4);
        var state = new DaemonState("0.0.1",
        [
            new AppState(app, new Dictionary<string, string>(), null, null,
            [
                new SlotRecord(0, 0, 2, Worker(4100)),
                new SlotRecord(1, 1, 0, null), // was between workers (backoff): started again too
                new SlotRecord(2, 2, 5, null, IsStopped: true),
                new SlotRecord(3, 3, 7, null, IsStopped: true, IsErrored: true, LastExit: "exit code 1"),
            ]),
        ]);

        var counted = DaemonAdoption.CountingTheRestart(state);

        await Assert.That(counted.Apps.Single().Slots.Select(s => (s.Index, s.Restarts, s.IsStopped, s.IsErrored))).IsEquivalentTo(
            [(0, 3, false, false), (1, 1, false, false), (2, 5, true, false), (3, 7, true, true)]);
        await Assert.That(counted.Apps.Single().Slots[0].Worker).IsEqualTo(Worker(4100));
    }
}
