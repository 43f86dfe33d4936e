using System.Runtime.InteropServices;

namespace Pmx.Processes;

/// <summary>Everything needed to start one worker.</summary>
public sealed record SpawnRequest
{
    /// <summary>Argv[0] is the program: an absolute path, a path relative to the working directory (contains '/'), or a name looked up on the request's PATH.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The worker's complete environment. LISTEN_FDS/LISTEN_FDNAMES/LISTEN_PID and NODE_CHANNEL_* are overwritten (or removed) to match what is actually passed.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Daemon-owned sockets placed at fd 3, 4, … in the worker (the daemon keeps its own copies open).</summary>
    public IReadOnlyList<SafeHandle> ListenSockets { get; init; } = [];

    /// <summary>Names for LISTEN_FDNAMES, one per listen socket; empty = LISTEN_FDNAMES is not set.</summary>
    public IReadOnlyList<string> ListenFdNames { get; init; } = [];

    /// <summary>Offer Node's IPC channel: the child end sits at the next fd after the listen sockets.</summary>
    public bool NodeIpcChannel { get; init; }

    /// <summary>PR_SET_PDEATHSIG=SIGKILL, for foreground/container mode where workers must not outlive pmx.</summary>
    public bool KillWhenParentDies { get; init; }
}
