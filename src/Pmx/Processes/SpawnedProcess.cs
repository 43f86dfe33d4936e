using Microsoft.Win32.SafeHandles;

namespace Pmx.Processes;

/// <summary>
/// A started worker: its pid (on Linux also its process group id) and the daemon's ends of its pipes.
/// Disposing closes those ends; it does not signal or reap the process.
/// </summary>
public sealed class SpawnedProcess(int pid, SafeFileHandle stdoutRead, SafeFileHandle stderrRead, INodeChannel? nodeIpc) : IDisposable
{
    /// <summary>The worker's pid, equal to its process group id (each worker leads its own group).</summary>
    public int Pid { get; } = pid;

    /// <summary>Read end of the worker's stdout pipe: close-on-exec, blocking.</summary>
    public SafeFileHandle StdoutRead { get; } = stdoutRead;

    /// <summary>Read end of the worker's stderr pipe: close-on-exec, blocking.</summary>
    public SafeFileHandle StderrRead { get; } = stderrRead;

    /// <summary>The daemon's end of the Node IPC channel (newline-delimited JSON), or null when not requested.</summary>
    public INodeChannel? NodeIpc { get; } = nodeIpc;

    /// <summary>Windows: the daemon's end of the worker's hand-off pipe (its listening socket and readiness), or null.</summary>
    internal Sockets.Handoff.IHandoffChannel? Handoff { get; init; }

    public void Dispose()
    {
        StdoutRead.Dispose();
        StderrRead.Dispose();
        NodeIpc?.Dispose();
        Handoff?.Dispose();
    }
}
