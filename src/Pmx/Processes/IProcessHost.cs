namespace Pmx.Processes;

/// <summary>
/// The OS seam for a worker's whole life: start it (with its listen sockets and readiness
/// channel), stop it gracefully by the platform's policy, kill its tree, send it a user signal,
/// and report its exit. Linux: LinuxProcessHost (process groups, signals, the reaper). Windows:
/// WindowsProcessHost (Job Objects, Node's IPC channel). Tests substitute a fake.
/// </summary>
public interface IProcessHost
{
    /// <summary>Starts a worker in its own process group or Job Object. Throws <see cref="SpawnException"/> when it cannot.</summary>
    SpawnedProcess Spawn(SpawnRequest request);

    /// <summary>
    /// Asks the worker to stop: on Linux <paramref name="killSignal"/> to its process group; on
    /// Windows STOP on its hand-off pipe (Pmx.Hosting apps), a stop message naming that signal on
    /// node's Node channel, else Ctrl+C on pmx's console (NotSupported when none reaches it).
    /// NoSuchProcess, doing nothing, once the worker's exit has been reported.
    /// </summary>
    SignalOutcome Stop(int pid, int killSignal);

    /// <summary>
    /// Ends the worker and everything it started, now: SIGKILL to its group, or TerminateJobObject.
    /// NoSuchProcess once its exit has been reported (the host already killed its leftovers then).
    /// </summary>
    SignalOutcome Kill(int pid);

    /// <summary>A user's signal to the worker's group (`pmx signal`); NotSupported where signals do not exist.</summary>
    SignalOutcome SendSignal(int pid, int signal);

    /// <summary>
    /// Starts reporting exits: (pid, status) for each child that ended, on the host's own thread.
    /// On Linux that is every reaped child, orphans included. Disposing stops the reports.
    /// </summary>
    IDisposable WatchExits(Action<int, ExitStatus> onExit);
}
