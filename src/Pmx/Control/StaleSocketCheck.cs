namespace Pmx.Control;

/// <summary>What <see cref="ControlServer.TryCleanStaleSocketAsync"/> found.</summary>
internal enum StaleSocketCheck
{
    /// <summary>No socket file: the path is free.</summary>
    Absent,
    /// <summary>A socket file nobody listened on; it was deleted and the path is free.</summary>
    RemovedStale,
    /// <summary>A daemon answered: pmx is already running for this PMX_HOME.</summary>
    DaemonRunning,
}
