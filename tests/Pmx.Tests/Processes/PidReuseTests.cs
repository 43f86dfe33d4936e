using System.Globalization;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

// [NotInParallel] without a key: these tests reap with waitpid(-1), see ChildProcesses.
[NotInParallel]
public class PidReuseTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    const string LastPidFile = "/proc/sys/kernel/ns_last_pid";

    [Test, Timeout(30_000)]
    public async Task WhatIsLeftOfAWorkersGroupIsKilledBeforeItsExitIsReported(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn("/bin/sh", "-c", "sleep 100 & echo $!");
        using var reader = new StreamReader(new FileStream(worker.StdoutRead, FileAccess.Read, 1));
        var leftover = int.Parse((await Task.Run(reader.ReadLine, ct).WaitAsync(ct))!, CultureInfo.InvariantCulture);

        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));

        // Nobody but the reaper signalled it: the supervisor's own kill after the exit is a no-op now.
        await Assert.That(children.Host.SignalGroup(worker.Pid, SignalNames.SIGKILL)).IsEqualTo(SignalOutcome.NoSuchProcess);
        await Poll.Until(() => ProcFs.IsDead(leftover), Deadline, $"leftover sleep {leftover} to be killed with its group", ct);
    }

    [Test, Timeout(60_000)]
    public async Task SignalsForAReapedWorkerNeverReachTheProcessThatReusedItsPid(CancellationToken ct)
    {
        if (!IsWritable(LastPidFile)) Skip.Test($"needs root to steer pid allocation through {LastPidFile}");
        await using var children = new ChildProcesses();
        var worker = children.Spawn("true");
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));

        var impostor = await StartProcessWithPid(children, worker.Pid, ct);
        // Processes elsewhere on the machine (the end-to-end tests run alongside) may keep taking
        // the number: that says nothing about pmx, so the test cannot run rather than fails.
        if (impostor < 0) Skip.Test($"could not get pid {worker.Pid} back in 50 attempts (a busy machine)");
        try
        {
            await Assert.That(ProcFs.ProcessGroup(impostor)).IsEqualTo(worker.Pid);

            await Assert.That(children.Host.SignalGroup(worker.Pid, SignalNames.SIGKILL)).IsEqualTo(SignalOutcome.NoSuchProcess);
            await Assert.That(children.Host.Signal(worker.Pid, SignalNames.SIGKILL)).IsEqualTo(SignalOutcome.NoSuchProcess);

            await Assert.That(ProcFs.IsDead(impostor)).IsFalse();
        }
        finally
        {
            // Not through the host: to it this pid is a reaped worker's, which it refuses to signal.
            Pmx.Interop.Interop.kill(impostor, SignalNames.SIGKILL);
            await children.ExitOf(impostor, ct);
        }
    }

    /// <summary>
    /// A session (and group) leader with exactly <paramref name="pid"/>, made by telling the kernel
    /// the last pid it handed out. Other processes on the machine may take the number first: retry,
    /// then give up with -1.
    /// </summary>
    static async Task<int> StartProcessWithPid(ChildProcesses children, int pid, CancellationToken ct)
    {
        var log = Path.Combine(Path.GetTempPath(), $"pmx-pid-reuse-{Guid.NewGuid():N}.log");
        try
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                await File.WriteAllTextAsync(LastPidFile, (pid - 1).ToString(CultureInfo.InvariantCulture), ct);
                var started = DetachedLauncher.Launch(["sleep", "100"], log, ChildProcesses.CurrentEnvironment());
                if (started == pid) return started;
                // Not tracked for teardown: once reaped, this number goes to whoever asks next
                // (we are steering allocation), and a late kill would hit a stranger.
                Pmx.Interop.Interop.kill(started, SignalNames.SIGKILL);
                await children.ExitOf(started, ct);
            }
            return -1;
        }
        finally
        {
            File.Delete(log);
        }
    }

    static bool IsWritable(string path)
    {
        try
        {
            using var stream = File.OpenWrite(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
