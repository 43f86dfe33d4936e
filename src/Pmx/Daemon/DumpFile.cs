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
    public static string Render(IEnumerable<AppRuntime> apps, DateTimeOffset savedAt) =>
        Render(apps.Select(a => new DumpedApp(a.Spec, a.Slots.Count, a.BaseEnvironment)), savedAt);

    public static string Render(IEnumerable<DumpedApp> apps, DateTimeOffset savedAt)
    {
        var toml = new StringBuilder();
        toml.Append("# Written by 'pmx save' at ").Append(savedAt.ToString("u", CultureInfo.InvariantCulture))
            .Append("; 'pmx resurrect' starts these apps again.\n");
        // An app scaled to 0 cannot be written: `instances = 0` means "one per CPU" in an ecosystem file.
        foreach (var app in apps.Where(a => a.Instances > 0)) AppendApp(toml, app);
        return toml.ToString();
    }

    static void AppendApp(StringBuilder toml, DumpedApp app)
    {
        var s = app.Spec;
        toml.Append("\n[[apps]]\n");
        Key(toml, "name", TomlString.Quote(s.Name));
        Key(toml, "script", TomlString.Quote(s.Script));
        Key(toml, "interpreter", TomlString.Quote(s.Interpreter ?? "none"));
        if (s.InterpreterArgs.Count > 0) Key(toml, "interpreter_args", List(s.InterpreterArgs));
        Key(toml, "args", List(s.Args));
        Key(toml, "cwd", TomlString.Quote(s.Cwd));
        Key(toml, "instances", Int(app.Instances));
        Key(toml, "exec_mode", TomlString.Quote(s.ExecMode == ExecMode.Cluster ? "cluster" : "fork"));
        if (s.Port is { } port) Key(toml, "port", Int(port));
        Key(toml, "host", TomlString.Quote(s.Host));
        Key(toml, "reuse_port", TomlString.Quote(s.ReusePort == ReusePortMode.PerInstance ? "per_instance" : "shared"));
        Key(toml, "wait_ready", Bool(s.WaitReady));
        Key(toml, "listen_timeout", Duration(s.ListenTimeout));
        Key(toml, "kill_signal", TomlString.Quote(s.KillSignal));
        Key(toml, "kill_timeout", Duration(s.KillTimeout));
        Key(toml, "autorestart", Bool(s.Autorestart));
        Key(toml, "max_restarts", Int(s.MaxRestarts));
        Key(toml, "min_uptime", Duration(s.MinUptime));
        Key(toml, "restart_delay", Duration(s.RestartDelay));
        Key(toml, "exp_backoff_restart_delay", Duration(s.ExpBackoffRestartDelay));
        if (s.MaxMemoryRestartBytes is { } limit) Key(toml, "max_memory_restart", limit.ToString(CultureInfo.InvariantCulture));
        if (s.CronRestart is { } cron) Key(toml, "cron_restart", TomlString.Quote(cron));
        if (s.Watch.Count > 0) Key(toml, "watch", List(s.Watch));
        if (s.IgnoreWatch.Count > 0) Key(toml, "ignore_watch", List(s.IgnoreWatch));
        Key(toml, "instance_var", TomlString.Quote(s.InstanceVar));
        if (s.OutFile is { } outFile) Key(toml, "out_file", TomlString.Quote(outFile));
        if (s.ErrorFile is { } errorFile) Key(toml, "error_file", TomlString.Quote(errorFile));
        Key(toml, "merge_logs", Bool(s.MergeLogs));
        Key(toml, "log_date_format", TomlString.Quote(s.LogDateFormat));
        Key(toml, "time", Bool(s.Time));
        Key(toml, "node_preload", Bool(s.NodePreload));
        Key(toml, "log_max_size", s.LogMaxSizeBytes.ToString(CultureInfo.InvariantCulture));
        Key(toml, "log_retain", Int(s.LogRetain));
        // The environment the workers really got: the starting CLI's, then the app's own on top.
        var env = new SortedDictionary<string, string>(app.BaseEnvironment.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        foreach (var (key, value) in s.Env) env[key] = value;
        toml.Append("\n[apps.env]\n");
        foreach (var (key, value) in env) Key(toml, TomlString.Quote(key), TomlString.Quote(value));
    }

    static void Key(StringBuilder toml, string key, string value) => toml.Append(key).Append(" = ").Append(value).Append('\n');
    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
    /// <summary>A string with one unit: any length reads back, where an integer of ms once had to fit 32 bits.</summary>
    static string Duration(TimeSpan value) => TomlString.Quote(DurationValue.FormatSingleUnit(value));
    static string Bool(bool value) => value ? "true" : "false";
    static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(TomlString.Quote)) + "]";

    /// <summary>
    /// Temp file, fsync, rename: a crash mid-write never leaves half a dump, and rename(2) replaces
    /// the old one in one step. The temp name is unique, so two writers at once (two `pmx save`s,
    /// or `save` and `startup --install`) each rename a whole file and the last one wins, where a
    /// shared "x.tmp" let one writer rename the other's half-written file.
    /// </summary>
    public static void WriteAtomically(string path, string content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temp, options))
            {
                file.Write(Encoding.UTF8.GetBytes(content));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
