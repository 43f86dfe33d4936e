using Pmx.Config;

namespace Pmx.Supervisor;

/// <summary>An app the daemon supervises: its spec, its slots, and the queue of its operations.</summary>
internal sealed class AppRuntime(AppSpec spec, IReadOnlyDictionary<string, string> baseEnvironment)
{
    public AppSpec Spec { get; set; } = spec;
    /// <summary>The environment of the CLI that started the app (PM2 semantics); Spec.Env goes on top.</summary>
    public IReadOnlyDictionary<string, string> BaseEnvironment { get; set; } = baseEnvironment;
    public List<Slot> Slots { get; } = [];
    public OperationQueue Operations { get; } = new();
    /// <summary>The shared listening socket of a cluster app (reuse_port = "shared").</summary>
    public IListenSocket? SharedSocket { get; set; }
    /// <summary>The slots' own sockets (reuse_port = "per_instance") in the kernel's group order.</summary>
    public ReuseportGroup Reuseport { get; } = new();
    /// <summary>The ecosystem file the app came from, so `pmx down -c FILE` finds it.</summary>
    public string? ConfigPath { get; set; }
    /// <summary>The --env NAME the app was started with, to re-read its file the same way on reload.</summary>
    public string? EnvName { get; set; }
    public string Name => Spec.Name;
    /// <summary>cron_restart's next firing.</summary>
    public IDisposable? CronTimer { get; set; }
    public IDisposable? Watcher { get; set; }
    public IDisposable? WatchDebounce { get; set; }
    public string? LastWatchedChange { get; set; }
}
