using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Processes;
using Pmx.Supervisor;
using static Pmx.Interop.Interop;

namespace Pmx.Keeper;

/// <summary>
/// Adoption when no keeper kept the descriptors (the daemon was started without one): a live
/// worker's output pipes died with its daemon, so it cannot be taken over; it is stopped (never
/// left serving beside a new one) and its slot starts a new worker.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class NoKeeperAdoption : IWorkerAdoption
{
    public bool TryAdopt(int pid, long startTimeTicks, out SafeFileHandle? stdout, out SafeFileHandle? stderr)
    {
        stdout = stderr = null;
        return false;
    }

    public IListenSocket? TakeListenSocket(int pid, AppSpec spec) => null;

    public void Stop(int pid, long startTimeTicks)
    {
        if (ProcessStats.TryRead(pid, out var sample) && sample.StartTimeTicks == startTimeTicks) kill(-pid, SignalNames.SIGKILL);
    }

    public IReadOnlyList<int> StopStrays(IReadOnlySet<int> adopted) => [];

    public void Finish() { }
}
