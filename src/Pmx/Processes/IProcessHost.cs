namespace Pmx.Processes;

/// <summary>The OS seam the supervisor drives: start workers and signal them. Tests substitute a fake.</summary>
public interface IProcessHost
{
    /// <summary>Starts a worker in its own process group. Throws <see cref="SpawnException"/> when it cannot.</summary>
    SpawnedProcess Spawn(SpawnRequest request);

    /// <summary>
    /// kill(-pgid, signal): the worker and everything it started that stayed in its group.
    /// NoSuchProcess, without any kill, once the worker has been reaped (its group id may be reused).
    /// When a worker exits, the host has already SIGKILLed what was left of its group.
    /// </summary>
    SignalOutcome SignalGroup(int processGroupId, int signal);

    /// <summary>kill(pid, signal); NoSuchProcess, without any kill, for a worker already reaped.</summary>
    SignalOutcome Signal(int pid, int signal);
}
