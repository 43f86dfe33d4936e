using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Control;
using Pmx.Processes;
using Pmx.Daemon;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>
/// Issue 14: a daemon that starts where one died takes its apps over from the recorded state:
/// live workers become their slots' online workers again (pid, restart count, id), slots whose
/// worker is gone start a new one, slots stopped on purpose stay stopped, and what the previous
/// daemon left unrecorded is stopped.
/// </summary>
public class AdoptionTests
{
    sealed class ScriptedAdoption(IReadOnlySet<int> live) : IWorkerAdoption
    {
        public List<int> Stopped { get; } = [];
        public bool IsFinished { get; private set; }

        public bool TryAdopt(int pid, long startTimeTicks, out SafeFileHandle? stdout, out SafeFileHandle? stderr)
        {
            stdout = stderr = live.Contains(pid) ? new SafeFileHandle(-1, ownsHandle: false) : null;
            return live.Contains(pid);
        }

        public IListenSocket? TakeListenSocket(int pid, AppSpec spec) => null;
        public void Stop(int pid, long startTimeTicks) => Stopped.Add(pid);
        public IReadOnlyList<int> StopStrays(IReadOnlySet<int> adopted) => [777];
        public void Finish() => IsFinished = true;
    }

    static WorkerRecord Worker(int pid) => new(pid, 12345, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Test]
    public async Task LiveWorkersAreAdoptedOnlineGoneOnesRestartAndStoppedSlotsStayStopped()
    {
        using var rig = new SupervisorRig();
        var state = new DaemonState("0.0.1",
        [
            new AppState(SupervisorRig.App("web", 3), new Dictionary<string, string>(), "/etc/ecosystem.toml", null,
            [
                new SlotRecord(0, 0, 2, Worker(4100)),
                new SlotRecord(1, 1, 0, Worker(4101)), // gone since
                new SlotRecord(2, 2, 0, null, IsStopped: true),
            ]),
        ]);
        var adoption = new ScriptedAdoption(new HashSet<int> { 4100 });

        await rig.Loop.InvokeAsync(() => rig.Supervisor.Adopt(state, adoption));
        await rig.Settle();

        var rows = await rig.List();
        await Assert.That(rows.Select(r => (r.Instance, r.Pid == 4100, r.Restarts))).IsEquivalentTo(
            [(0, true, 2), (1, false, 0), (2, false, 0)]);
        await Assert.That(rows.Single(r => r.Instance == 0).Status).IsEqualTo(ProcessStatus.Online);
        await Assert.That(rows.Single(r => r.Instance == 2).Status).IsEqualTo(ProcessStatus.Stopped);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(1); // only the slot whose worker is gone
        await Assert.That(adoption.Stopped).IsEquivalentTo([4101]);
        await Assert.That(adoption.IsFinished).IsTrue();
    }

    static AppState TwoWorkerWeb() => new(SupervisorRig.App("web", 2), new Dictionary<string, string>(), null, null,
        [new SlotRecord(0, 0, 0, Worker(4100)), new SlotRecord(1, 1, 0, Worker(4101))]);

    /// <summary>What the daemon log says when <paramref name="apps"/> are adopted with only <paramref name="live"/> still running.</summary>
    static async Task<IReadOnlyList<string>> AdoptionLog(IReadOnlyList<AppState> apps, params int[] live)
    {
        var log = new RecordingLogger();
        using var rig = new SupervisorRig(log);
        await rig.Loop.InvokeAsync(() => rig.Supervisor.Adopt(new DaemonState("0.0.1", apps), new ScriptedAdoption(live.ToHashSet())));
        await rig.Settle();
        return log.Lines;
    }

    [Test]
    public async Task TheLogCountsTheAdoptedWorkersInWords() =>
        await Assert.That(await AdoptionLog([TwoWorkerWeb()], 4100))
            .Contains("adopted 1 live worker of 1 app from the previous daemon (pmx 0.0.1)");

    [Test]
    public async Task ADaemonThatFindsNoLiveWorkerSaysItTookTheAppsOverNotThatItAdoptedNone()
    {
        // Windows: the Job Objects died with the previous daemon, and every worker with them.
        var api = new AppState(SupervisorRig.App("api", 1), new Dictionary<string, string>(), null, null, [new SlotRecord(0, 2, 0, Worker(4102))]);
        var lines = await AdoptionLog([TwoWorkerWeb(), api]);

        await Assert.That(lines).Contains("took over 2 apps from the previous daemon (pmx 0.0.1); none of its workers was left to adopt");
        await Assert.That(lines.Any(l => l.StartsWith("adopted 0", StringComparison.Ordinal))).IsFalse();
    }

    [Test]
    public async Task AnErroredSlotStaysErroredAndAStartingWorkerIsAdoptedStillLaunching()
    {
        using var rig = new SupervisorRig();
        var state = new DaemonState("0.0.1",
        [
            new AppState(SupervisorRig.App("web", 2) with { WaitReady = true }, new Dictionary<string, string>(), null, null,
            [
                new SlotRecord(0, 0, 15, null, IsStopped: true, IsErrored: true, LastExit: "exited 3"),
                // Started just now under a wait_ready spec: its listen_timeout has barely begun.
                new SlotRecord(1, 1, 0, Worker(4300) with { StartedAt = rig.Time.GetUtcNow(), OnlineAt = null }),
            ]),
        ]);
        await rig.Loop.InvokeAsync(() => rig.Supervisor.Adopt(state, new ScriptedAdoption(new HashSet<int> { 4300 })));
        await rig.Settle();

        var rows = await rig.List();
        await Assert.That(rows.Select(r => (r.Instance, r.Status, r.Pid))).IsEquivalentTo(
            [(0, ProcessStatus.Errored, 0), (1, ProcessStatus.Launching, 4300)]);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(0);
        var recorded = await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.Snapshot()));
        await Assert.That(recorded.Apps[0].Slots[0] is { IsErrored: true, LastExit: "exited 3" }).IsTrue();
        await Assert.That(recorded.Apps[0].Slots[1].Worker is { Pid: 4300, OnlineAt: null }).IsTrue();
    }

    [Test]
    public async Task AnAdoptedWorkerIsStoppedLikeASpawnedOneAndItsExitEndsIt()
    {
        using var rig = new SupervisorRig();
        var state = new DaemonState("0.0.1",
            [new AppState(SupervisorRig.App("web"), new Dictionary<string, string>(), null, null, [new SlotRecord(0, 0, 0, Worker(4200))])]);
        await rig.Loop.InvokeAsync(() => rig.Supervisor.Adopt(state, new ScriptedAdoption(new HashSet<int> { 4200 })));

        var stop = rig.Run(s => s.Stop("web", _ => { }));
        await rig.Settle();
        await Assert.That(rig.Host.SignalsSentTo(4200)).IsNotEmpty();
        await rig.Exit(4200, ExitStatus.Exited(0));
        var outcome = await stop;

        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        await Assert.That((await rig.List()).Single().Status).IsEqualTo(ProcessStatus.Stopped);
    }
}
