using System.Globalization;
using System.Text;
using Pmx.Config;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>
/// `pmx save` writes the running apps as an ecosystem file (PMX_HOME/dump.toml): every path
/// absolute, every default spelled out, the environment each app really had. So `pmx resurrect`
/// is `pmx up` of that file, validated by the same strict loader: a damaged dump is reported
/// with file:line:col and nothing starts.
/// </summary>
internal static class DumpFile
{
    public static string Render(IEnumerable<AppRuntime> apps, DateTimeOffset savedAt)
    {
        var toml = new StringBuilder();
        toml.Append("# Written by 'pmx save' at ").Append(savedAt.ToString("u", CultureInfo.InvariantCulture))
            .Append("; 'pmx resurrect' starts these apps again.\n");
        // An app scaled to 0 cannot be written: `instances = 0` means "one per CPU" in an ecosystem file.
        foreach (var app in apps.Where(a => a.Slots.Count > 0)) AppendApp(toml, app);
        return toml.ToString();
    }

    static void AppendApp(StringBuilder toml, AppRuntime app)
    {
        var s = app.Spec;
        toml.Append("\n[[apps]]\n");
        Key(toml, "name", Str(s.Name));
        Key(toml, "script", Str(s.Script));
        Key(toml, "interpreter", Str(s.Interpreter ?? "none"));
        if (s.InterpreterArgs.Count > 0) Key(toml, "interpreter_args", List(s.InterpreterArgs));
        Key(toml, "args", List(s.Args));
        Key(toml, "cwd", Str(s.Cwd));
        Key(toml, "instances", Int(app.Slots.Count));
        Key(toml, "exec_mode", Str(s.ExecMode == ExecMode.Cluster ? "cluster" : "fork"));
        if (s.Port is { } port) Key(toml, "port", Int(port));
        Key(toml, "host", Str(s.Host));
        Key(toml, "reuse_port", Str(s.ReusePort == ReusePortMode.PerInstance ? "per_instance" : "shared"));
        Key(toml, "wait_ready", Bool(s.WaitReady));
        Key(toml, "listen_timeout", Ms(s.ListenTimeout));
        Key(toml, "kill_signal", Str(s.KillSignal));
        Key(toml, "kill_timeout", Ms(s.KillTimeout));
        Key(toml, "autorestart", Bool(s.Autorestart));
        Key(toml, "max_restarts", Int(s.MaxRestarts));
        Key(toml, "min_uptime", Ms(s.MinUptime));
        Key(toml, "restart_delay", Ms(s.RestartDelay));
        Key(toml, "exp_backoff_restart_delay", Ms(s.ExpBackoffRestartDelay));
        if (s.MaxMemoryRestartBytes is { } limit) Key(toml, "max_memory_restart", limit.ToString(CultureInfo.InvariantCulture));
        if (s.CronRestart is { } cron) Key(toml, "cron_restart", Str(cron));
        if (s.Watch.Count > 0) Key(toml, "watch", List(s.Watch));
        if (s.IgnoreWatch.Count > 0) Key(toml, "ignore_watch", List(s.IgnoreWatch));
        Key(toml, "instance_var", Str(s.InstanceVar));
        if (s.OutFile is { } outFile) Key(toml, "out_file", Str(outFile));
        if (s.ErrorFile is { } errorFile) Key(toml, "error_file", Str(errorFile));
        Key(toml, "merge_logs", Bool(s.MergeLogs));
        Key(toml, "log_date_format", Str(s.LogDateFormat));
        Key(toml, "time", Bool(s.Time));
        Key(toml, "node_preload", Bool(s.NodePreload));
        Key(toml, "log_max_size", s.LogMaxSizeBytes.ToString(CultureInfo.InvariantCulture));
        Key(toml, "log_retain", Int(s.LogRetain));
        // The environment the workers really got: the starting CLI's, then the app's own on top.
        var env = new SortedDictionary<string, string>(app.BaseEnvironment.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        foreach (var (key, value) in s.Env) env[key] = value;
        toml.Append("\n[apps.env]\n");
        foreach (var (key, value) in env) Key(toml, Str(key), Str(value));
    }

    static void Key(StringBuilder toml, string key, string value) => toml.Append(key).Append(" = ").Append(value).Append('\n');
    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
    static string Ms(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    static string Bool(bool value) => value ? "true" : "false";
    static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Str)) + "]";

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
    public static string Str(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>Temp file then rename: a crash mid-write never leaves half a dump.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
