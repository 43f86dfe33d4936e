using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Processes;
using Pmx.Sockets;
using Pmx.Supervisor;
using static Pmx.Interop.Interop;

namespace Pmx.Keeper;

/// <summary>
/// Takes over a dead daemon's workers with the copies the keeper handed back: a worker's pipes and
/// socket are the copies whose keys match its /proc/&lt;pid&gt;/fd/1, 2 and 3.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class WorkerAdoption(KeeperLink keeper, KeptPlumbing plumbing, Action<string> warn) : IWorkerAdoption
{
    public bool TryAdopt(int pid, long startTimeTicks, out SafeFileHandle? stdout, out SafeFileHandle? stderr)
    {
        stdout = stderr = null;
        if (!IsSameProcess(pid, startTimeTicks)) return false;
        var outKey = KeeperLink.KeyOf(pid, 1);
        var errKey = KeeperLink.KeyOf(pid, 2);
        if (outKey is null || errKey is null
            || !keeper.HandedBack.TryGetValue(outKey, out var outPipe) || !keeper.HandedBack.TryGetValue(errKey, out var errPipe))
            return false;
        keeper.HandedBack.Remove(outKey);
        keeper.HandedBack.Remove(errKey);
        stdout = outPipe;
        stderr = errPipe;
        ChildRegistry.OfThisProcess.Adopt(pid);
        return true;
    }

    public IListenSocket? TakeListenSocket(int pid, AppSpec spec)
    {
        if (KeeperLink.KeyOf(pid, 3) is not { } key || !keeper.HandedBack.Remove(key, out var descriptor)) return null;
        return plumbing.Keep(TcpListenSocket.Adopt(descriptor, spec));
    }

    public INodeChannel? TakeNodeChannel(string key)
    {
        if (!keeper.HandedBack.Remove(key, out var descriptor)) return null;
        var socket = new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(descriptor.DangerousGetHandle(), ownsHandle: true));
        descriptor.SetHandleAsInvalid();
        return new Sockets.Node.UnixNodeChannel(socket);
    }

    public NotifyChannel? TakeNotifySocket(string key, string path, string workerLabel, Action<ReadinessMessage> onMessage)
    {
        if (!keeper.HandedBack.Remove(key, out var descriptor)) return null;
        return plumbing.Keep(NotifySocket.Adopt(descriptor, path, workerLabel, onMessage, warn));
    }

    public void Stop(int pid, long startTimeTicks)
    {
        if (IsSameProcess(pid, startTimeTicks)) kill(-pid, SignalNames.SIGKILL);
    }

    /// <summary>
    /// Strays may be serving (a reload's new worker is on the shared socket once it has started),
    /// so they get SIGTERM first and SIGKILL only if still the same process after StrayKillTimeout.
    /// </summary>
    public IReadOnlyList<int> StopStrays(IReadOnlySet<int> adopted)
    {
        if (keeper.KeeperPid <= 1) return [];
        var strays = new List<(int Pid, long StartTimeTicks)>();
        foreach (var pid in ProcessLineage.ChildrenOf(keeper.KeeperPid))
        {
            if (pid == Environment.ProcessId || adopted.Contains(pid) || !ProcessStats.TryRead(pid, out var sample)) continue;
            strays.Add((pid, sample.StartTimeTicks));
            kill(sample.ProcessGroupId == pid ? -pid : pid, SignalNames.SIGTERM);
        }
        // A pending delay is rooted by the runtime's timer queue, so this fires even though nothing keeps a reference.
        if (strays.Count > 0)
            _ = Task.Delay(StrayKillTimeout).ContinueWith(_ =>
            {
                foreach (var (pid, ticks) in strays) Stop(pid, ticks);
            }, TaskScheduler.Default);
        return strays.Select(s => s.Pid).ToList();
    }

    static readonly TimeSpan StrayKillTimeout = TimeSpan.FromSeconds(10);

    public void Finish()
    {
        foreach (var (key, descriptor) in keeper.HandedBack)
        {
            // A socket no adopted worker serves on belongs to no app any more; a pipe's keeper copy goes once its writers are gone.
            if (key.StartsWith("socket:", StringComparison.Ordinal)) keeper.Drop(key);
            descriptor.Dispose();
        }
        keeper.HandedBack.Clear();
        keeper.ReportAdopted();
    }

    static bool IsSameProcess(int pid, long startTimeTicks) =>
        ProcessStats.TryRead(pid, out var sample) && sample.StartTimeTicks == startTimeTicks
        && ProcessLineage.TryRead(pid, out _, out var isZombie) && !isZombie;
}
