using System.Globalization;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

// [NotInParallel] without a key: these tests reap with waitpid(-1), see ChildProcesses.
[NotInParallel]
public class ReapingTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test, Timeout(30_000)]
    public async Task SubreaperReapsAnOrphanedGrandchild(CancellationToken ct)
    {
        // Process-wide and permanent for the test host: orphans of later tests come to it too,
        // which is harmless (they are reaped by whichever reaper runs, or at exit).
        await Assert.That(ProcessSetup.TryBecomeSubreaper()).IsTrue();
        await using var children = new ChildProcesses();
        // setsid: the orphan leaves the worker's group, which dies with its leader; wait until it has.
        var worker = children.Spawn("/bin/sh", "-c", "setsid sleep 100 & echo $!; while [ \"$(cat /proc/$!/comm)\" != sleep ]; do :; done");
        using var reader = new StreamReader(new FileStream(worker.StdoutRead, FileAccess.Read, 1));
        var orphan = int.Parse((await Task.Run(reader.ReadLine, ct).WaitAsync(ct))!, CultureInfo.InvariantCulture);
        await children.ExitOf(worker.Pid, ct);

        await Poll.Until(() => ProcFs.ParentPid(orphan) == ProcessSetup.CurrentPid, Deadline, $"orphan {orphan} to be re-parented to us", ct);
        children.Host.Signal(orphan, SignalNames.SIGKILL);

        await Assert.That(await children.ExitOf(orphan, ct)).IsEqualTo(ExitStatus.KilledBy(SignalNames.SIGKILL));
    }

    [Test, Timeout(30_000)]
    public async Task ShimWithPdeathsigMakesTheProgramDieWithItsParent(CancellationToken ct)
    {
        // sh starts the shim in the background, waits until it has become sleep (so PDEATHSIG is
        // armed), then exits: the kernel must SIGKILL sleep. setsid takes it out of sh's group, which
        // the reaper kills with its leader: only PDEATHSIG may kill it here.
        await using var children = new ChildProcesses();
        var worker = children.Spawn("/bin/sh", "-c",
            "setsid \"$0\" __exec --pdeathsig --parent-pid $$ -- sleep 100 & echo $!; while [ \"$(cat /proc/$!/comm)\" != sleep ]; do :; done",
            ChildProcesses.ShimPath);
        using var reader = new StreamReader(new FileStream(worker.StdoutRead, FileAccess.Read, 1));
        var orphan = int.Parse((await Task.Run(reader.ReadLine, ct).WaitAsync(ct))!, CultureInfo.InvariantCulture);

        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));
        await Poll.Until(() => ProcFs.IsDead(orphan), Deadline, $"sleep {orphan} to die with its parent", ct);
    }

    [Test, Timeout(30_000)]
    public async Task ShimRefusesToStartWhenItsParentIsAlreadyGone(CancellationToken ct)
    {
        // The parent died before prctl: no signal would ever come, so the shim must not exec.
        await using var children = new ChildProcesses();
        var worker = children.Spawn(ChildProcesses.ShimPath, "__exec", "--pdeathsig", "--parent-pid", "1", "--", "true");

        var stderr = await ChildProcesses.ReadToEndAsync(worker.StderrRead, ct);
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(126));
        await Assert.That(stderr).IsEqualTo("pmx: not starting 'true': pmx (pid 1) exited before the worker started\n");
    }

    [Test, Timeout(30_000)]
    public async Task DetachedLauncherStartsAProcessInItsOwnSessionWithOutputInTheFile(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var dir = Directory.CreateTempSubdirectory("pmx-detached-").FullName;
        try
        {
            var log = Path.Combine(dir, "daemon.log");
            await File.WriteAllTextAsync(log, "earlier run\n", ct);
            var pid = DetachedLauncher.Launch(["sh", "-c", "echo out; echo err >&2; exec sleep 100"], log, ChildProcesses.CurrentEnvironment());
            children.Track(pid);

            await Poll.Until(() => File.ReadAllText(log).Contains("err\n"), Deadline, "both lines in the log", ct);
            await Assert.That(ProcFs.SessionId(pid)).IsEqualTo(pid);
            await Assert.That(ProcFs.ProcessGroup(pid)).IsEqualTo(pid);
            await Assert.That(File.ReadAllText(log)).IsEqualTo("earlier run\nout\nerr\n");
            await Assert.That(new FileInfo(log).Length).IsGreaterThan(0);
            await Assert.That(new FileInfo(log).LinkTarget).IsNull();
            // posix_spawn's SETSIGDEF cannot reach glibc's reserved 32 and 33 (which `dotnet test`
            // leaves ignored); every other signal, SIGPIPE above all, must be back to default.
            const ulong GlibcReserved = (1UL << 31) | (1UL << 32);
            await Assert.That(IgnoredSignals(pid) & ~GlibcReserved).IsEqualTo(0UL);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static ulong IgnoredSignals(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [Test, Timeout(30_000)]
    public async Task DetachedLauncherCreatesTheLogFileOwnerOnly(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var dir = Directory.CreateTempSubdirectory("pmx-detached-").FullName;
        try
        {
            var log = Path.Combine(dir, "new.log");
            var pid = DetachedLauncher.Launch(["/bin/sh", "-c", "echo started"], log, ChildProcesses.CurrentEnvironment());
            children.Track(pid);

            await Assert.That(await children.ExitOf(pid, ct)).IsEqualTo(ExitStatus.Exited(0));
            await Assert.That(File.ReadAllText(log)).IsEqualTo("started\n");
            await Assert.That(File.GetUnixFileMode(log)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
