namespace Pmx.Config;

/// <summary>Every key an [[apps]] table may hold (DESIGN §2), and PM2 spellings pmx points away from.</summary>
internal static class AppKeys
{
    public const string EnvPrefix = "env_";

    public static readonly string[] All =
    [
        "name", "script", "args", "interpreter", "interpreter_args", "cwd",
        "instances", "exec_mode", "port", "host", "reuse_port",
        "wait_ready", "listen_timeout", "kill_signal", "kill_timeout",
        "autorestart", "max_restarts", "min_uptime", "restart_delay", "exp_backoff_restart_delay",
        "max_memory_restart", "cron_restart", "watch", "ignore_watch", "instance_var",
        "out_file", "error_file", "merge_logs", "log_date_format", "log_max_size", "log_retain",
        "env", "node_preload", "time",
    ];

    static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>
    /// PM2 accepts several names for some keys; pmx keeps one name per setting and suggests it,
    /// since an edit-distance match would not find these.
    /// </summary>
    static readonly Dictionary<string, string> Pm2Aliases = new(StringComparer.Ordinal)
    {
        ["err_file"] = "error_file", ["error"] = "error_file", ["err"] = "error_file",
        ["out"] = "out_file", ["output"] = "out_file",
        ["exec_interpreter"] = "interpreter", ["node_args"] = "interpreter_args",
        ["interpreter_options"] = "interpreter_args", ["combine_logs"] = "merge_logs",
        ["instance"] = "instances", ["exec_mode_"] = "exec_mode",
    };

    public static bool IsKnown(string key) =>
        Known.Contains(key) || (key.StartsWith(EnvPrefix, StringComparison.Ordinal) && key.Length > EnvPrefix.Length);

    public static string? Suggest(string key) =>
        Pm2Aliases.TryGetValue(key, out var alias) ? alias : KeySuggestion.Closest(key, All);
}
