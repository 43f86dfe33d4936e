namespace Pmx.Processes;

/// <summary>The OS seam the supervisor drives: start workers and signal them. Tests substitute a fake.</summary>
public interface IProcessHost
{
    /// <summary>Starts a worker in its own process group. Throws <see cref="SpawnException"/> when it cannot.</summary>
    SpawnedProcess Spawn(SpawnRequest request);

    /// <summary>kill(-pgid, signal): the worker and everything it started that stayed in its group.</summary>
    SignalOutcome SignalGroup(int processGroupId, int signal);

    /// <summary>kill(pid, signal).</summary>
    SignalOutcome Signal(int pid, int signal);
}
