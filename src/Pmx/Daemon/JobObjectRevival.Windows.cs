using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>
/// Adoption on Windows, where nothing can be taken over: the dead daemon held every worker's Job
/// Object (KILL_ON_JOB_CLOSE), so its workers died with it. A recorded worker is only checked to be
/// gone; one that somehow still runs as the same process (same creation time: a reused pid is
/// another process, left alone) is terminated, so its slot's new worker never serves beside it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("windows")]
internal sealed class JobObjectRevival(Action<string> warn) : IWorkerAdoption
{
    public string WhyNotAdopted => "it died with the previous daemon's Job Object";

    public bool TryAdopt(int pid, long startTimeTicks, out SafeFileHandle? stdout, out SafeFileHandle? stderr)
    {
        stdout = stderr = null;
        return false;
    }

    public IListenSocket? TakeListenSocket(int pid, AppSpec spec) => null;

    public void Stop(int pid, long startTimeTicks)
    {
        if (WindowsProcessIdentity.TerminateIfSame(pid, startTimeTicks))
            warn($"worker pid {pid} of the previous daemon outlived its Job Object; terminated it before starting its slot again");
    }

    public IReadOnlyList<int> StopStrays(IReadOnlySet<int> adopted) => [];

    public void Finish() { }
}
