namespace Pmx.TestWorker;

/// <summary>
/// The descriptors pmx hands us: the listening socket (systemd socket activation, sd_listen_fds(3))
/// and the Node IPC channel. Both are ours alone once we run, so they are marked close-on-exec as
/// sd_listen_fds does: a child we start (the --spawn-orphan sleep) must not keep pmx's listening
/// socket or channel open after we exit.
/// </summary>
static class InheritedFds
{
    /// <summary>The first passed fd (SD_LISTEN_FDS_START).</summary>
    public const int ListenFd = 3;

    /// <summary>True when LISTEN_FDS >= 1 and LISTEN_PID is our pid: the protocol's "these fds are for you".</summary>
    public static bool HasListenFd(int pid) =>
        int.TryParse(Environment.GetEnvironmentVariable("LISTEN_FDS"), out var count) && count >= 1
        && int.TryParse(Environment.GetEnvironmentVariable("LISTEN_PID"), out var listenPid) && listenPid == pid;

    public static void MarkCloseOnExec(int pid)
    {
        // Windows has no fd inheritance of this kind: pmx hands nothing over as fds there.
        if (OperatingSystem.IsWindows()) return;
        if (HasListenFd(pid))
        {
            var count = int.Parse(Environment.GetEnvironmentVariable("LISTEN_FDS")!);
            for (var fd = ListenFd; fd < ListenFd + count; fd++) Interop.SetCloseOnExec(fd);
        }
        if (int.TryParse(Environment.GetEnvironmentVariable("NODE_CHANNEL_FD"), out var channel) && channel >= 0)
            Interop.SetCloseOnExec(channel);
    }
}
