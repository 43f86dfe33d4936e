namespace Pmx.Control;

/// <summary>
/// No daemon listens on the control socket: the file is absent, or nobody accepts on it (a daemon
/// that died without cleaning up). The CLI starts a daemon, or says there is none.
/// </summary>
internal sealed class DaemonNotRunningException(string socketPath, Exception? inner = null)
    : Exception($"pmx: no daemon is running (nothing listens on {socketPath}).", inner)
{
    public string SocketPath { get; } = socketPath;
}
