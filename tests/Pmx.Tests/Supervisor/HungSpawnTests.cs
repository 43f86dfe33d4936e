using System.Diagnostics;
using Pmx.Control;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>
/// Issue 11, defect 11: a spawn whose stat or chdir hangs on a dead mount must not freeze the
/// supervisor. A hung NFS mount cannot be made without root, so the spawn here blocks in a real
/// filesystem call that does not return by itself: open(2) of a FIFO nobody writes to.
/// </summary>
public class HungSpawnTests
{
    static readonly TimeSpan Responsive = TimeSpan.FromSeconds(10);

    [Test, Timeout(30_000)]
    public async Task WhileASpawnHangsListAnswersAndDeleteCompletesAndTheLatePidIsStopped(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        using var mount = new HungPath();
        rig.Host.OnSpawn = mount.Block;
        try
        {
            var up = rig.Up(SupervisorRig.App());
            await mount.Entered.WaitAsync(ct);
            rig.Host.HeldOnPurpose = 1;

            var rows = await rig.List().WaitAsync(Responsive, ct);
            await Assert.That(rows.Select(r => (r.Name, r.Status, r.Pid)).SequenceEqual([("web", ProcessStatus.Launching, 0)])).IsTrue();
            // The delete queues behind the start, which gives up at the end of its start window.
            var delete = rig.Run(s => s.Delete("web", _ => { }));
            await rig.Advance(TimeSpan.FromMinutes(1));
            var started = await up.WaitAsync(Responsive, ct);
            await Assert.That(started.ExitCode).IsEqualTo(1);
            await Assert.That(started.Message).Contains("web#0 not online after");
            await Assert.That((await delete.WaitAsync(Responsive, ct)).ExitCode).IsEqualTo(0);
            await Assert.That(await rig.List()).IsEmpty();
            rig.Host.HeldOnPurpose = 0;

            mount.Release();
            await Poll.Until(() => rig.Host.Spawned.Count == 1 && rig.Host.SignalsSentTo(rig.Host.Spawned[0]).Count > 0,
                Responsive, "the late pid to get the stop signal", ct);
            var late = rig.Host.Spawned[0];
            await rig.Exit(late, ExitStatus.Exited(0));

            SignalNames.TryParse(SupervisorRig.App().KillSignal, out var killSignal, out _);
            await Assert.That(rig.Host.SignalsSentTo(late)[0]).IsEqualTo(killSignal);
            await Assert.That(await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.LivePids.Count))).IsEqualTo(0);
        }
        finally { mount.Release(); }
    }

    [Test, Timeout(30_000)]
    public async Task WhileASpawnHangsKillAnswersAndTheLatePidIsKilled(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        using var mount = new HungPath();
        rig.Host.OnSpawn = mount.Block;
        try
        {
            _ = rig.Up(SupervisorRig.App());
            await mount.Entered.WaitAsync(ct);
            rig.Host.HeldOnPurpose = 1;

            await rig.Loop.InvokeAsync(() => rig.Supervisor.KillEverything()).WaitAsync(Responsive, ct);

            mount.Release();
            await Poll.Until(() => rig.Host.Spawned.Count == 1 && rig.Host.SignalsSentTo(rig.Host.Spawned[0]).Contains(SignalNames.SIGKILL),
                Responsive, "the late pid to be SIGKILLed", ct);
        }
        finally { mount.Release(); }
    }

    [Test, Timeout(30_000)]
    public async Task ASpawnThatHangsHoldsUpNeitherTheLoopNorASpawnOfAnotherApp(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        using var mount = new HungPath();
        rig.Host.OnSpawn = mount.BlockFirst;
        try
        {
            _ = rig.Up(SupervisorRig.App("stuck"));
            await mount.Entered.WaitAsync(ct);
            rig.Host.HeldOnPurpose = 1;

            var other = rig.Run(s => s.Start(SupervisorRig.App("other"), new Dictionary<string, string>(), _ => { }));
            await Poll.Until(() => rig.Host.Spawned.Count == 1, Responsive, "the other app's spawn", ct);
            await rig.Advance(AppSupervisor.MaxStartGrace);

            await Assert.That((await other.WaitAsync(Responsive, ct)).ExitCode).IsEqualTo(0);
            var rows = await rig.List();
            var byName = rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => (r.Name, r.Status)).ToList();
            await Assert.That(byName.SequenceEqual([("other", ProcessStatus.Online), ("stuck", ProcessStatus.Launching)])).IsTrue();
        }
        finally { mount.Release(); }
    }

    [Test, Timeout(30_000)]
    public async Task AWorkerReapedBeforeItsSpawnReturnedToTheLoopIsStillSeenToExitAndRestarted(CancellationToken ct)
    {
        using var rig = new SupervisorRig();
        var spec = SupervisorRig.App();
        // The reaper's exit event reaches the loop before the spawn's outcome does.
        rig.Host.BeforeSpawnReturns = pid =>
        {
            if (pid == 1000) rig.Supervisor.OnChildExited(pid, ExitStatus.Exited(3));
        };

        _ = rig.Up(spec);
        await rig.Settle();
        var exited = await rig.List();
        await Assert.That(await rig.Loop.InvokeAsync(() => Task.FromResult(rig.Supervisor.LivePids.Count))).IsEqualTo(0);
        await rig.Advance(TimeSpan.FromSeconds(30)); // past any restart delay the policy picks

        await Assert.That(exited.Single().Status).IsEqualTo(ProcessStatus.Launching);
        await Assert.That(rig.Host.Spawned.SequenceEqual([1000, 1001])).IsTrue();
    }

    /// <summary>A path whose open(2) blocks until <see cref="Release"/>: a FIFO with no writer.</summary>
    sealed class HungPath : IDisposable
    {
        readonly string _folder = Directory.CreateTempSubdirectory("pmx-hung-").FullName;
        readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _blocked;
        int _released;

        public HungPath()
        {
            using var mkfifo = Process.Start("mkfifo", [Fifo])!;
            mkfifo.WaitForExit();
            if (mkfifo.ExitCode != 0) throw new InvalidOperationException("mkfifo failed");
        }

        string Fifo => Path.Combine(_folder, "hung");

        /// <summary>Completes once a spawn is blocked in the hung call.</summary>
        public Task Entered => _entered.Task;

        public void Block()
        {
            _entered.TrySetResult();
            using var reader = new FileStream(Fifo, FileMode.Open, FileAccess.Read);
        }

        public void BlockFirst()
        {
            if (Interlocked.Exchange(ref _blocked, 1) == 0) Block();
        }

        /// <summary>Opens the FIFO for writing (non-blocking attempts until a reader is there), which lets open(2) return.</summary>
        public void Release()
        {
            if (!_entered.Task.IsCompleted || Interlocked.Exchange(ref _released, 1) == 1) return;
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                var fd = Pmx.Interop.Interop.open(Fifo, Pmx.Interop.Interop.O_WRONLY | Pmx.Interop.Interop.O_NONBLOCK | Pmx.Interop.Interop.O_CLOEXEC, 0);
                if (fd >= 0) { new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true).Dispose(); return; }
                Thread.Yield(); // ENXIO: the reader has not opened yet
            }
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
