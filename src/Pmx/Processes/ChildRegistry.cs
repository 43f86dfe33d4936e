using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>
/// The workers this process spawned and has not reaped yet, and the one lock that orders spawning,
/// signalling and reaping, so a signal can never reach a process that merely reuses a worker's pid.
/// </summary>
/// <remarks>
/// Overview
/// Constraints: a pid (and a process group id) cannot be reused while its process is unreaped,
/// even as a zombie; once reaped, the number is free at once. Reaping happens on the reaper's
/// thread and bookkeeping on the supervisor's loop, so "is this pid still my worker?" asked by the
/// loop is stale by the time it acts. Waiting is process-wide (waitid(P_ALL) also collects the
/// orphans pmx must reap as subreaper or PID 1), so this table is one per process.
/// Scheme: spawn-and-register, check-and-signal and kill-group-then-reap each run under one lock.
/// A signal for a worker that is not in the table (reaped, or never ours) is NoSuchProcess without
/// a kill. The reaper peeks at an exited child with WNOWAIT, and for a worker SIGKILLs what is left
/// of its process group while the zombie leader still pins the group id, then reaps it; the
/// supervisor's own "kill the leftovers" after an exit is then a harmless NoSuchProcess.
/// pidfds (Linux 5.3+) name each worker exactly: signals to the leader go through
/// pidfd_send_signal and the reap through waitid(P_PIDFD). Older kernels fall back to kill and
/// waitid(P_PID), which the lock makes just as exact. No pidfd call signals a whole group before
/// Linux 6.9, so groups are always signalled with kill(-pgid), under the lock.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class ChildRegistry
{
    public static ChildRegistry OfThisProcess { get; } = new();

    /// <summary>How many reaped worker pids are remembered to refuse a late Signal(pid).</summary>
    const int RememberedReapedPids = 4096;

    readonly Lock _gate = new();
    /// <summary>Unreaped worker pid (= its process group id) → its pidfd, null without pidfd support.</summary>
    readonly Dictionary<int, SafeFileHandle?> _unreaped = [];
    readonly HashSet<int> _reaped = [];
    readonly Queue<int> _reapedOrder = new();
    /// <summary>Unreaped workers another daemon spawned: the keeper reaps them, never this process.</summary>
    readonly HashSet<int> _adopted = [];
    bool _pidfdUnsupported;

    public enum ReapResult { Reaped, NothingExited, NoChildren }

    /// <summary>Runs <paramref name="spawn"/> (which returns the new pid or throws) and records the worker, with no reap in between.</summary>
    public int Spawn(Func<int> spawn)
    {
        lock (_gate)
        {
            var pid = spawn();
            _unreaped[pid] = OpenPidfd(pid);
            _reaped.Remove(pid);
            return pid;
        }
    }

    /// <summary>
    /// Records a live worker a previous daemon spawned (now the keeper's child): signalled like our
    /// own until <see cref="ForgetAdopted"/>, when the keeper reports that it reaped it.
    /// </summary>
    public void Adopt(int pid)
    {
        lock (_gate)
        {
            _unreaped[pid] = OpenPidfd(pid);
            _adopted.Add(pid);
            _reaped.Remove(pid);
        }
    }

    /// <summary>An adopted worker was reaped by the keeper: from now on a signal for it is NoSuchProcess.</summary>
    public void ForgetAdopted(int pid)
    {
        lock (_gate)
        {
            if (!_adopted.Remove(pid)) return;
            if (_unreaped.Remove(pid, out var pidfd)) pidfd?.Dispose();
            Remember(pid);
        }
    }

    /// <summary>Adopted workers whose pidfd says they have exited (reaped or not, by whoever is their parent now).</summary>
    public IReadOnlyList<int> AdoptedThatExited()
    {
        lock (_gate)
        {
            return _adopted.Where(pid => _unreaped.GetValueOrDefault(pid) is { } pidfd
                && (PollNow((int)pidfd.DangerousGetHandle(), POLLIN) & POLLIN) != 0).ToList();
        }
    }

    public SignalOutcome SignalGroup(int processGroupId, int signal)
    {
        lock (_gate)
        {
            if (!_unreaped.ContainsKey(processGroupId)) return SignalOutcome.NoSuchProcess;
            return Kill(-processGroupId, signal, $"process group {processGroupId}");
        }
    }

    public SignalOutcome Signal(int pid, int signal)
    {
        lock (_gate)
        {
            if (_unreaped.TryGetValue(pid, out var pidfd))
                return pidfd is null ? Kill(pid, signal, $"process {pid}") : SendThroughPidfd(pidfd, pid, signal);
            if (_reaped.Contains(pid)) return SignalOutcome.NoSuchProcess;
        }
        // Not a worker (an orphan, the supervisor InitProcess started): the caller owns that race.
        return Kill(pid, signal, $"process {pid}");
    }

    /// <summary>
    /// Reaps one exited child, if any. For a worker, what is left of its process group is SIGKILLed
    /// first. Orphans (as subreaper or PID 1) are reaped too and reported like any child.
    /// </summary>
    public ReapResult ReapOne(out int pid, out ExitStatus status)
    {
        lock (_gate)
        {
            while (true)
            {
                if (WaitId(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT, out var peeked) != 0)
                {
                    var errno = LastError;
                    if (errno == Errno.EINTR) continue;
                    if (errno == Errno.ECHILD) break;
                    Environment.FailFast($"pmx internal error: waitid(P_ALL) failed: {Describe(errno)}");
                }
                if (peeked.Pid == 0)
                {
                    pid = 0;
                    status = default;
                    return ReapResult.NothingExited;
                }
                if (TryReap(peeked.Pid, out var exit))
                {
                    pid = exit.Pid;
                    status = ExitStatus.FromChildExit(exit.Code, exit.Status);
                    return ReapResult.Reaped;
                }
            }
        }
        pid = 0;
        status = default;
        return ReapResult.NoChildren;
    }

    /// <summary>False when someone else reaped the child first (a System.Diagnostics.Process of the test host).</summary>
    bool TryReap(int pid, out ChildExit exit)
    {
        var isWorker = _unreaped.Remove(pid, out var pidfd);
        if (isWorker)
        {
            // The zombie leader keeps the group id from being reused until the reap below.
            kill(-pid, SignalNames.SIGKILL);
            Remember(pid);
        }
        using (pidfd)
        {
            while (true)
            {
                var reaped = pidfd is null
                    ? WaitId(P_PID, pid, WEXITED | WNOHANG, out exit)
                    : WaitId(P_PIDFD, (int)pidfd.DangerousGetHandle(), WEXITED | WNOHANG, out exit);
                if (reaped == 0) return exit.Pid != 0;
                var errno = LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.ECHILD) return false;
                Environment.FailFast($"pmx internal error: waitid for exited child {pid} failed: {Describe(errno)}");
            }
        }
    }

    void Remember(int pid)
    {
        if (!_reaped.Add(pid)) return;
        _reapedOrder.Enqueue(pid);
        if (_reapedOrder.Count > RememberedReapedPids) _reaped.Remove(_reapedOrder.Dequeue());
    }

    SafeFileHandle? OpenPidfd(int pid)
    {
        if (_pidfdUnsupported) return null;
        var fd = pidfd_open(pid);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        // ENOSYS: a kernel before 5.3 (or a seccomp filter); anything else (EMFILE): this worker goes without.
        if (LastError == Errno.ENOSYS) _pidfdUnsupported = true;
        return null;
    }

    static SignalOutcome SendThroughPidfd(SafeFileHandle pidfd, int pid, int signal)
    {
        if (pidfd_send_signal(pidfd, signal) == 0) return SignalOutcome.Delivered;
        var errno = LastError;
        if (errno == Errno.ENOSYS) return Kill(pid, signal, $"process {pid}");
        return Outcome(errno, signal, $"process {pid}");
    }

    static SignalOutcome Kill(int target, int signal, string what) =>
        kill(target, signal) == 0 ? SignalOutcome.Delivered : Outcome(LastError, signal, what);

    static SignalOutcome Outcome(Errno errno, int signal, string what) => errno switch
    {
        Errno.ESRCH => SignalOutcome.NoSuchProcess,
        Errno.EPERM => SignalOutcome.NotPermitted,
        _ => throw new InvalidOperationException($"cannot send {SignalNames.NameOf(signal)} to {what}: {Describe(errno)}"),
    };
}
