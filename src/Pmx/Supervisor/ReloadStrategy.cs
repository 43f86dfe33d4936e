using Pmx.Config;

namespace Pmx.Supervisor;

/// <summary>
/// How a reload (and watch, cron_restart, max_memory_restart) replaces an app's workers. In place
/// (new worker online first, then the old one stopped) needs the new and the old worker to listen
/// at once: true when pmx owns the listening socket and hands it to both. A fork-mode app that
/// binds its own port would die of EADDRINUSE beside its predecessor, so it is stopped, then
/// started, as PM2 does.
/// </summary>
internal static class ReloadStrategy
{
    public const string StopThenStartNote =
        "fork mode: stopped then started; for zero-downtime reloads use exec_mode = \"cluster\" with port";

    /// <summary>
    /// A Node app under pmx's preload listens on a socket pmx owns even in fork mode or without a
    /// port key, so it too can be replaced in place.
    /// </summary>
    public static bool ReloadsInPlace(AppSpec spec) =>
        (spec.ExecMode == ExecMode.Cluster && spec.Port is not null) || Sockets.Node.NodePreload.Covers(spec);
}
