using Pmx.Config;

namespace Pmx.Control;

/// <summary>
/// One instance of one app: a row of `pmx list` and an element of `pmx list --json`.
/// </summary>
/// <remarks>
/// `pmx list --json` is a public interface (DESIGN §7): scripts parse these snake_case names, so
/// existing properties are never renamed or removed; new ones may be added. Properties that may
/// have no value are written as null rather than left out, so every row has the same keys.
/// </remarks>
internal sealed record ProcessInfo
{
    public required string Name { get; init; }

    /// <summary>0-based slot number (what NODE_APP_INSTANCE holds).</summary>
    public required int Instance { get; init; }

    /// <summary>0 when the instance has no running process.</summary>
    public int Pid { get; init; }

    public required ProcessStatus Status { get; init; }

    /// <summary>Restarts since the app was started (crash restarts and `pmx restart`, not reloads).</summary>
    public int Restarts { get; init; }

    /// <summary>Milliseconds since the current process started; 0 when not running.</summary>
    public long UptimeMs { get; init; }

    /// <summary>Share of one CPU over the daemon's last sample (100 = one core busy).</summary>
    public double CpuPercent { get; init; }

    /// <summary>Resident set size of the process.</summary>
    public long MemoryBytes { get; init; }

    public ExecMode ExecMode { get; init; } = ExecMode.Fork;

    /// <summary>The port the instance serves (shared or per instance); null when pmx binds none.</summary>
    public int? Port { get; init; }

    /// <summary>When the current process was spawned; null when not running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>How the previous process ended, in words: "exited 3", "killed by SIGKILL"; null before any exit.</summary>
    public string? LastExit { get; init; }

    /// <summary>The last STATUS= the app sent over sd_notify; null when it sent none.</summary>
    public string? StatusText { get; init; }

    /// <summary>PM2's pm_id: unique across apps for the daemon's life (the `id` column); `pmx restart 3` takes it.</summary>
    public int Id { get; init; }
}
