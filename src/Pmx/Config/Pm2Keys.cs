namespace Pmx.Config;

/// <summary>
/// PM2 ecosystem keys as PM2 users write them: the spellings PM2 accepts for a pmx key (mapped
/// silently when reading a PM2 file), and the keys pmx does not implement (a warning, never fatal,
/// so a PM2 project starts as it is).
/// </summary>
internal static class Pm2Keys
{
    /// <summary>PM2's other names for a setting, read from .js/.json/.yaml files.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["node_args"] = "interpreter_args", ["exec_interpreter"] = "interpreter",
        ["err_file"] = "error_file", ["error"] = "error_file", ["out"] = "out_file", ["output"] = "out_file",
        ["combine_logs"] = "merge_logs", ["cron"] = "cron_restart",
    };

    static readonly HashSet<string> NotImplemented = new(StringComparer.Ordinal)
    {
        "vizion", "automation", "post_update", "pmx", "source_map_support", "treekill", "force",
        "increment_var", "filter_env", "namespace", "shutdown_with_message", "windowsHide", "disable_trace",
        "trace", "deep_monitoring", "pid_file", "log_file", "log_type", "autostart", "disable_source_map_support",
        "append_env_to_name", "stop_exit_codes", "kill_retry_time", "uid", "gid", "version",
        "watch_options", "watch_delay",
    };

    /// <summary>Top-level keys of a PM2 file besides apps.</summary>
    public static readonly HashSet<string> TopLevelNotImplemented = new(StringComparer.Ordinal) { "deploy" };

    public static bool IsNotImplemented(string key) => NotImplemented.Contains(key);
}
