namespace Pmx.Config;

public enum ExecMode { Fork, Cluster }

public enum ReusePortMode { Shared, PerInstance }

/// <summary>
/// One app of an ecosystem file after validation: every default applied, every path absolute,
/// every duration and size parsed. The CLI sends it to the daemon as JSON, the daemon keeps it
/// for the app's life (reload, restart and resurrect use it, never CLI defaults).
/// </summary>
public sealed record AppSpec
{
    public required string Name { get; init; }
    /// <summary>What to execute: an absolute path when the script is a file, else a bare command looked up on PATH.</summary>
    public required string Script { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    /// <summary>Null when the script is executed directly.</summary>
    public string? Interpreter { get; init; }
    public IReadOnlyList<string> InterpreterArgs { get; init; } = [];
    /// <summary>Absolute working directory.</summary>
    public required string Cwd { get; init; }
    public int Instances { get; init; } = 1;
    public ExecMode ExecMode { get; init; } = ExecMode.Fork;
    public int? Port { get; init; }
    public string Host { get; init; } = "0.0.0.0";
    public ReusePortMode ReusePort { get; init; } = ReusePortMode.Shared;
    public bool WaitReady { get; init; }
    public TimeSpan ListenTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string KillSignal { get; init; } = "SIGINT";
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public bool Autorestart { get; init; } = true;
    public int MaxRestarts { get; init; } = 15;
    public TimeSpan MinUptime { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RestartDelay { get; init; } = TimeSpan.Zero;
    /// <summary>Zero disables exponential backoff (then restart_delay alone applies).</summary>
    public TimeSpan ExpBackoffRestartDelay { get; init; } = TimeSpan.Zero;
    public long? MaxMemoryRestartBytes { get; init; }
    public string? CronRestart { get; init; }
    /// <summary>Absolute paths to watch; empty means watching is off.</summary>
    public IReadOnlyList<string> Watch { get; init; } = [];
    public IReadOnlyList<string> IgnoreWatch { get; init; } = [];
    public string InstanceVar { get; init; } = "NODE_APP_INSTANCE";
    /// <summary>Absolute path, or null for PMX_HOME/logs/&lt;name&gt;-&lt;instance&gt;-out.log.</summary>
    public string? OutFile { get; init; }
    public string? ErrorFile { get; init; }
    public bool MergeLogs { get; init; }
    public string LogDateFormat { get; init; } = "yyyy-MM-dd HH:mm:ss.fff";
    /// <summary>PM2's `time`: log lines carry a timestamp. Off unless asked for (or log_date_format is set), so JSON-lines output stays JSON.</summary>
    public bool Time { get; init; }
    public long LogMaxSizeBytes { get; init; } = 10 * 1024 * 1024;
    public int LogRetain { get; init; } = 5;
    /// <summary>node_preload: Node workers' TCP listen() goes to the socket pmx owns (DESIGN §11).</summary>
    public bool NodePreload { get; init; } = true;
    /// <summary>[apps.env] with [apps.env_NAME] applied on top when --env NAME was given.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
