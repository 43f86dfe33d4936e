using Pmx.Config;

namespace Pmx.Control;

/// <summary>Everything `pmx describe` shows about one app.</summary>
internal sealed record AppDetails
{
    /// <summary>The spec the daemon runs the app with (what reload and restart reuse).</summary>
    public required AppSpec Spec { get; init; }

    /// <summary>Absolute path of the ecosystem file the app came from; null for `pmx start`.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The --env NAME applied when the app was started; null when none.</summary>
    public string? EnvName { get; init; }

    /// <summary>One entry per instance slot, ordered by instance.</summary>
    public IReadOnlyList<InstanceDetails> Instances { get; init; } = [];
}

/// <summary>One instance slot of a described app.</summary>
internal sealed record InstanceDetails
{
    public required ProcessInfo Process { get; init; }

    public required ReadinessState Readiness { get; init; }

    /// <summary>Where the slot's stdout goes (the merged file when merge_logs).</summary>
    public required string OutLogPath { get; init; }

    /// <summary>Where the slot's stderr goes.</summary>
    public required string ErrorLogPath { get; init; }

    /// <summary>The last few exits, oldest first, so a crash loop is visible at a glance.</summary>
    public IReadOnlyList<ExitRecord> RecentExits { get; init; } = [];

    /// <summary>When the worker last sent sd_notify's WATCHDOG=1, if it ever did.</summary>
    public DateTimeOffset? LastWatchdogAt { get; init; }

    /// <summary>The worker sent STOPPING=1 without being asked to stop.</summary>
    public bool AnnouncedStopping { get; init; }
}

/// <summary>Where an instance stands on DESIGN §4's ready signal.</summary>
internal enum ReadinessState
{
    /// <summary>No process, so nothing to wait for.</summary>
    NotRunning,
    /// <summary>wait_ready = false: online once running.</summary>
    NotRequired,
    /// <summary>Spawned, listen_timeout still running, no READY=1 / process.send('ready') yet.</summary>
    Waiting,
    Ready,
    /// <summary>No ready signal within listen_timeout: the start or reload step failed.</summary>
    TimedOut,
}

/// <summary>One past exit of an instance.</summary>
/// <param name="At">When the process ended.</param>
/// <param name="Reason">"exited 3", "killed by SIGKILL", as in <see cref="ProcessInfo.LastExit"/>.</param>
/// <param name="Uptime">How long it had run: shorter than min_uptime counts as unstable.</param>
internal sealed record ExitRecord(DateTimeOffset At, string Reason, TimeSpan Uptime);
