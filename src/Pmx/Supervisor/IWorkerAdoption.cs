using Microsoft.Win32.SafeHandles;
using Pmx.Config;

namespace Pmx.Supervisor;

/// <summary>
/// What a new daemon needs to take over the live workers of one that died: their pipes and
/// sockets (kept by the keeper), their signals (by pid, as for its own), and a way to stop what it
/// cannot take over. The daemon's implementation is Keeper.WorkerAdoption.
/// </summary>
internal interface IWorkerAdoption
{
    /// <summary>
    /// Takes over the live worker <paramref name="pid"/> (started at <paramref name="startTimeTicks"/>):
    /// from now on it is signalled like a spawned one and its exit is reported. False, taking nothing,
    /// when it is gone, is another process now, or its output pipes were not kept.
    /// </summary>
    bool TryAdopt(int pid, long startTimeTicks, out SafeFileHandle? stdout, out SafeFileHandle? stderr);

    /// <summary>Why a recorded worker could not be taken over, for the daemon's log.</summary>
    string WhyNotAdopted => "exited, or its output pipes were lost with the keeper";

    /// <summary>The listening socket at the worker's fd 3, when the keeper kept a copy of it; null otherwise.</summary>
    IListenSocket? TakeListenSocket(int pid, AppSpec spec);

    /// <summary>The daemon's end of a worker's Node IPC channel, when the keeper kept it under <paramref name="key"/>; null otherwise.</summary>
    Processes.INodeChannel? TakeNodeChannel(string key) => null;

    /// <summary>The worker's sd_notify socket bound at <paramref name="path"/>, when the keeper kept it under <paramref name="key"/>: read from now on, held by the keeper until disposed.</summary>
    NotifyChannel? TakeNotifySocket(string key, string path, string workerLabel, Action<ReadinessMessage> onMessage) => null;

    /// <summary>SIGKILLs the process group of a worker that could not be adopted (it still runs, unsupervised).</summary>
    void Stop(int pid, long startTimeTicks);

    /// <summary>SIGKILLs every other process group the previous daemon left (e.g. the new worker of an interrupted reload); returns their pids.</summary>
    IReadOnlyList<int> StopStrays(IReadOnlySet<int> adopted);

    /// <summary>Closes every kept copy nothing adopted, and lets the keeper drop what no worker writes to.</summary>
    void Finish();
}
