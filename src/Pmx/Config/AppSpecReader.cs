using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Pmx.Processes;

namespace Pmx.Config;

/// <summary>
/// Reads one [[apps]] table into an AppSpec: every key of DESIGN §2 checked for type and range,
/// defaults applied, paths made absolute. Returns null when the table had any error.
/// </summary>
internal static partial class AppSpecReader
{
    // \z, not $: "$" also matches before a final newline, so "web\n" would pass.
    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex EnvNamePattern();

    /// <summary>"all" is the CLI's word for every app (`pmx stop all`), so no app may be called that.</summary>
    const string ReservedName = "all";

    public static AppSpec? Read(AppFieldReader r, string? envName)
    {
        var errorsBefore = r.Document.Errors.Count;
        RejectUnknownKeys(r);

        var name = ReadName(r);
        var script = r.String("script");
        if (script is null && !r.Has("script"))
            r.Document.Error(r.Header, "script", $"{r.Label} has no 'script' (required: the program or script file to run)");
        else if (script is { Length: 0 })
            r.Error("script", $"'script' in {r.Label} must not be empty");

        var cwd = ReadCwd(r);
        var instances = ReadInstances(r);
        var execMode = ReadChoice(r, "exec_mode", ExecMode.Fork,
            ("fork", ExecMode.Fork), ("cluster", ExecMode.Cluster), ("fork_mode", ExecMode.Fork), ("cluster_mode", ExecMode.Cluster));
        var port = r.Int("port", 1, 65535, "a port number between 1 and 65535");
        var nodePreload = r.Bool("node_preload") ?? true;
        if (execMode == ExecMode.Cluster && port is null && !r.Has("port") && !(nodePreload && RunsNode(r, script)))
            r.Error("exec_mode", $"{r.Label} uses exec_mode = \"cluster\" but has no 'port' (cluster instances share the port pmx binds; add port = 8080 or use exec_mode = \"fork\")");
        var host = ReadHost(r);
        var reusePort = ReadChoice(r, "reuse_port", ReusePortMode.Shared,
            ("shared", ReusePortMode.Shared), ("per_instance", ReusePortMode.PerInstance));
        var killSignal = ReadSignal(r);
        var args = r.StringList("args", splitString: true) ?? [];
        var interpreterArgs = r.StringList("interpreter_args", splitString: true) ?? [];
        var interpreter = r.String("interpreter");
        if (interpreter is { Length: 0 }) r.Error("interpreter", $"'interpreter' in {r.Label} must not be empty (use \"none\" to execute the script directly)");
        var watch = ReadWatch(r, cwd);
        var ignoreWatch = r.StringList("ignore_watch", singleString: true) ?? [];
        var instanceVar = r.String("instance_var");
        if (instanceVar != null && !EnvNamePattern().IsMatch(instanceVar))
            r.Error("instance_var", $"'instance_var' in {r.Label} must be an environment variable name like NODE_APP_INSTANCE (got {TomlString.Quote(instanceVar)})");
        var logDateFormat = ReadDateFormat(r);
        var cron = ReadCron(r);
        var env = ReadEnv(r, envName);

        var (outFile, errorFile) = (ResolveFile(r, "out_file", cwd), ResolveFile(r, "error_file", cwd));
        var spec = new AppSpec
        {
            Name = name ?? "",
            Script = script ?? "",
            Cwd = cwd,
            Args = args,
            InterpreterArgs = interpreterArgs,
            Instances = instances,
            ExecMode = execMode,
            Port = port,
            Host = host,
            ReusePort = reusePort,
            WaitReady = r.Bool("wait_ready") ?? false,
            ListenTimeout = r.Duration("listen_timeout") ?? TimeSpan.FromSeconds(30),
            KillSignal = killSignal,
            KillTimeout = r.Duration("kill_timeout") ?? TimeSpan.FromSeconds(10),
            Autorestart = r.Bool("autorestart") ?? true,
            MaxRestarts = r.Int("max_restarts", 0, int.MaxValue, "an integer ≥ 0") ?? 15,
            MinUptime = r.Duration("min_uptime") ?? TimeSpan.FromSeconds(1),
            RestartDelay = r.Duration("restart_delay") ?? TimeSpan.Zero,
            ExpBackoffRestartDelay = r.Duration("exp_backoff_restart_delay") ?? TimeSpan.Zero,
            MaxMemoryRestartBytes = r.Size("max_memory_restart"),
            CronRestart = cron,
            Watch = watch,
            IgnoreWatch = ignoreWatch,
            InstanceVar = instanceVar ?? "NODE_APP_INSTANCE",
            OutFile = outFile,
            ErrorFile = errorFile,
            MergeLogs = r.Bool("merge_logs") ?? false,
            LogDateFormat = logDateFormat ?? "yyyy-MM-dd HH:mm:ss.fff",
            Time = r.Bool("time") ?? r.Has("log_date_format"),
            LogMaxSizeBytes = r.Size("log_max_size") ?? 10 * 1024 * 1024,
            LogRetain = r.Int("log_retain", 0, AppLimits.MaxLogRetain, $"an integer from 0 to {AppLimits.MaxLogRetain}") ?? 5,
            Env = env,
            NodePreload = nodePreload,
        };
        if (r.Document.Errors.Count > errorsBefore) return null;

        var (resolvedScript, resolvedInterpreter) = ScriptResolution.Resolve(r, spec.Script, interpreter, cwd);
        return spec with { Script = resolvedScript, Interpreter = resolvedInterpreter };
    }

    /// <summary>A Node app shares the port its listen() names through the preload, so cluster mode needs no 'port'.</summary>
    static bool RunsNode(AppFieldReader r, string? script)
    {
        var interpreter = r.Table.TryGetValue("interpreter", out var i) ? i as string : null;
        var program = interpreter ?? ScriptResolution.InferInterpreter(script ?? "") ?? script ?? "";
        return Path.GetFileName(program) is "node" or "nodejs";
    }

    static void RejectUnknownKeys(AppFieldReader r)
    {
        var notImplemented = r.Table.Keys.Where(Pm2Keys.IsNotImplemented).ToList();
        if (notImplemented.Count > 0)
            r.Warn(notImplemented[0], $"{r.Label}: PM2 key{(notImplemented.Count > 1 ? "s" : "")} pmx does not implement, ignored: {string.Join(", ", notImplemented)}");
        foreach (var key in r.Table.Keys)
        {
            if (AppKeys.IsKnown(key) || Pm2Keys.IsNotImplemented(key)) continue;
            var suggestion = AppKeys.Suggest(key);
            r.Error(key, suggestion != null
                ? $"unknown key '{key}' in {r.Label} (did you mean '{suggestion}'?)"
                : $"unknown key '{key}' in {r.Label} (allowed: {string.Join(", ", AppKeys.All)}, env_NAME)");
        }
    }

    static string? ReadName(AppFieldReader r)
    {
        if (!r.Has("name"))
        {
            r.Document.Error(r.Header, "name", $"{r.Label} has no 'name' (required: a unique name made of letters, digits, '.', '_' and '-')");
            return null;
        }
        var name = r.String("name");
        if (name is null) return null;
        if (!NamePattern().IsMatch(name))
        {
            r.Error("name", $"app name {Shown(name)} is not allowed: use only letters, digits, '.', '_' and '-'");
            return null;
        }
        if (name.Length > AppLimits.MaxNameLength)
        {
            r.Error("name", $"app name {Shown(name)} is {name.Length} characters long; the limit is {AppLimits.MaxNameLength} (names appear in file names and every log line)");
            return null;
        }
        if (name == ReservedName)
        {
            r.Error("name", $"app name \"{name}\" is reserved ('pmx stop all' means every app); choose another name");
            return null;
        }
        return name;
    }

    /// <summary>A name as an error quotes it: escaped like a TOML string, and cut short when very long.</summary>
    static string Shown(string name) =>
        TomlString.Quote(name.Length > 40 ? name[..40] + "…" : name);

    static string ReadCwd(AppFieldReader r)
    {
        var cwd = r.String("cwd");
        if (cwd is null) return r.Document.BaseDirectory;
        var full = Path.GetFullPath(Path.Combine(r.Document.BaseDirectory, cwd));
        if (!Directory.Exists(full))
            r.Warn("cwd", $"cwd '{cwd}' of {r.Label} is not a directory (looked for {full})");
        return full;
    }

    /// <summary>
    /// 0 and "max" mean one per CPU, -1 all CPUs but one (PM2's rules), never fewer than one and
    /// never more than AppLimits.MaxInstances.
    /// </summary>
    static int ReadInstances(AppFieldReader r)
    {
        const string Rule = "an integer ≥ -1 or \"max\" (0 or \"max\" = one per CPU, -1 = CPUs minus one)";
        if (!r.Table.TryGetValue("instances", out var v)) return 1;
        var perCpu = Math.Min(Environment.ProcessorCount, AppLimits.MaxInstances);
        return v switch
        {
            long n and >= 1 and <= AppLimits.MaxInstances => (int)n,
            long n and > AppLimits.MaxInstances => r.Wrong<int?>("instances", $"at most {AppLimits.MaxInstances}", v) ?? 1,
            0L => perCpu,
            -1L => Math.Max(1, perCpu - 1),
            string s when s.Equals("max", StringComparison.OrdinalIgnoreCase) => perCpu,
            _ => r.Wrong<int?>("instances", Rule, v) ?? 1,
        };
    }

    static T ReadChoice<T>(AppFieldReader r, string key, T fallback, params (string Word, T Value)[] choices)
    {
        var text = r.String(key);
        if (text is null) return fallback;
        foreach (var (word, value) in choices)
            if (word == text) return value;
        var allowed = string.Join(" or ", choices.Select(c => c.Word).Where(w => !w.EndsWith("_mode", StringComparison.Ordinal)).Select(w => $"\"{w}\""));
        r.Error(key, $"'{key}' in {r.Label} must be {allowed} (got {TomlString.Quote(text)})");
        return fallback;
    }

    static string ReadHost(AppFieldReader r)
    {
        var host = r.String("host");
        if (host is null) return "0.0.0.0";
        if (host == "localhost") return "127.0.0.1";
        if (IPAddress.TryParse(host, out _)) return host;
        r.Error("host", $"'host' in {r.Label} must be an IP address to bind, such as \"0.0.0.0\", \"127.0.0.1\" or \"::\" (got {TomlString.Quote(host)})");
        return host;
    }

    static string ReadSignal(AppFieldReader r)
    {
        if (!r.Table.TryGetValue("kill_signal", out var v)) return "SIGINT";
        var text = v switch { string s => s, long l => l.ToString(CultureInfo.InvariantCulture), _ => null };
        if (text != null && SignalNames.TryParse(text, out _, out var canonical)) return canonical;
        r.Error("kill_signal", $"'kill_signal' in {r.Label} must be a signal name or number such as \"SIGINT\", \"SIGTERM\", \"TERM\" or 15 (got {ConfigDocument.Describe(v)})");
        return "SIGINT";
    }

    /// <summary>true watches cwd (PM2's meaning); a list names paths relative to cwd.</summary>
    static IReadOnlyList<string> ReadWatch(AppFieldReader r, string cwd)
    {
        if (!r.Table.TryGetValue("watch", out var v)) return [];
        if (v is bool on) return on ? [cwd] : [];
        if (v is not string and not Tomlyn.Model.TomlArray)
            return r.Wrong<string[]>("watch", "true, false or an array of paths", v) ?? [];
        var paths = r.StringList("watch", singleString: true);
        return paths?.Select(p => Path.GetFullPath(Path.Combine(cwd, p))).ToArray() ?? [];
    }

    static string? ReadDateFormat(AppFieldReader r)
    {
        var format = r.String("log_date_format");
        if (format is null) return null;
        try
        {
            _ = DateTime.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return format;
        }
        catch (FormatException)
        {
            r.Error("log_date_format", $"'log_date_format' in {r.Label} is not a valid .NET date format such as \"yyyy-MM-dd HH:mm:ss.fff\" (got {TomlString.Quote(format)})");
            return null;
        }
    }

    /// <summary>Checked with the same parser the scheduler uses, so a value that passes here always schedules.</summary>
    static string? ReadCron(AppFieldReader r)
    {
        var cron = r.String("cron_restart");
        if (cron is null) return null;
        if (!Schedules.CronSchedule.TryParse(cron, out _, out var why))
            r.Error("cron_restart", $"'cron_restart' in {r.Label} must be a cron expression of 5 fields such as \"0 3 * * *\" (or 6 with seconds); {TomlString.Quote(cron)}: {why}");
        return cron;
    }

    /// <summary>[apps.env], with [apps.env_NAME] on top when --env NAME was given. Every env_* table is checked either way.</summary>
    static IReadOnlyDictionary<string, string> ReadEnv(AppFieldReader r, string? envName)
    {
        var env = r.EnvTable("env") ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in r.Table.Keys.Where(k => k.StartsWith(AppKeys.EnvPrefix, StringComparison.Ordinal)).ToList())
        {
            var overlay = r.EnvTable(key);
            if (overlay is null || key != AppKeys.EnvPrefix + envName) continue;
            foreach (var (k, v) in overlay) env[k] = v;
        }
        return env;
    }

    static string? ResolveFile(AppFieldReader r, string key, string cwd)
    {
        var path = r.String(key);
        if (path is { Length: 0 }) return r.Wrong<string>(key, "a file path", path);
        return path is null ? null : Path.GetFullPath(Path.Combine(cwd, path));
    }
}
