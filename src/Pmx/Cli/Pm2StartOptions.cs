using Tomlyn.Model;

namespace Pmx.Cli;

/// <summary>
/// `pmx start`'s arguments as PM2 users type them: targets (a script, "node server.js --x", a config
/// file, app names or ids), PM2's options, and everything after `--` as the app's arguments. Parsed
/// here rather than by the CLI framework because PM2's spellings (-i max, --no-autorestart, -o, -e,
/// --cron) and its "options anywhere" habit do not fit one method signature.
/// </summary>
internal sealed class Pm2StartOptions
{
    public List<string> Targets { get; } = [];
    public List<string> Args { get; } = [];
    public string? Name { get; private set; }
    public string? Instances { get; private set; }
    public string? EnvName { get; private set; }
    public string? Only { get; private set; }
    /// <summary>App keys given on the command line, as an ecosystem file would hold them.</summary>
    public TomlTable Keys { get; } = new();

    /// <summary>Options that take a value, by every spelling, and the app key each one sets.</summary>
    static readonly Dictionary<string, string> ValueOptions = new(StringComparer.Ordinal)
    {
        ["--ignore-watch"] = "ignore_watch", ["--max-memory-restart"] = "max_memory_restart",
        ["--cron"] = "cron_restart", ["--cron-restart"] = "cron_restart", ["-c"] = "cron_restart",
        ["--interpreter"] = "interpreter", ["--node-args"] = "interpreter_args", ["--interpreter-args"] = "interpreter_args",
        ["-o"] = "out_file", ["--output"] = "out_file", ["-e"] = "error_file", ["--error"] = "error_file",
        ["--log-date-format"] = "log_date_format", ["--listen-timeout"] = "listen_timeout",
        ["--kill-timeout"] = "kill_timeout", ["--cwd"] = "cwd", ["--port"] = "port",
        ["--restart-delay"] = "restart_delay", ["--max-restarts"] = "max_restarts", ["--min-uptime"] = "min_uptime",
        ["--instance-var"] = "instance_var", ["--kill-signal"] = "kill_signal",
    };

    static readonly Dictionary<string, (string Key, bool Value)> Switches = new(StringComparer.Ordinal)
    {
        ["--watch"] = ("watch", true), ["-w"] = ("watch", true), ["--no-autorestart"] = ("autorestart", false),
        ["--merge-logs"] = ("merge_logs", true), ["--wait-ready"] = ("wait_ready", true), ["--time"] = ("time", true),
        ["--no-node-preload"] = ("node_preload", false),
    };

    static readonly HashSet<string> NumericKeys = ["port", "max_restarts"];

    /// <summary>Null with <paramref name="error"/> set when an option is unknown or lacks its value.</summary>
    public static Pm2StartOptions? Parse(IReadOnlyList<string> argv, out string error)
    {
        var options = new Pm2StartOptions();
        error = "";
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                options.Args.AddRange(argv.Skip(i + 1));
                break;
            }
            string? inlineValue = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            if (Switches.TryGetValue(arg, out var toggle))
            {
                options.Keys[toggle.Key] = toggle.Value;
                continue;
            }
            if (!arg.StartsWith('-') || arg == "-")
            {
                options.Targets.Add(arg);
                continue;
            }
            var value = inlineValue ?? (i + 1 < argv.Count ? argv[++i] : null);
            if (value is null)
            {
                error = $"option '{arg}' needs a value (see 'pmx start --help')";
                return null;
            }
            switch (arg)
            {
                case "-n" or "--name": options.Name = value; break;
                case "-i" or "--instances": options.Instances = value; break;
                case "--env": options.EnvName = value; break;
                case "--only": options.Only = value; break;
                default:
                    if (!ValueOptions.TryGetValue(arg, out var key))
                    {
                        error = $"unknown option '{arg}' for 'pmx start' (PM2 options pmx knows: -n/--name, -i, --watch, --ignore-watch, --max-memory-restart, --cron, --no-autorestart, --interpreter, --node-args, -o, -e, --merge-logs, --time, --log-date-format, --wait-ready, --listen-timeout, --kill-timeout, --cwd, --port, --env, --only)";
                        return null;
                    }
                    options.Keys[key] = NumericKeys.Contains(key) && long.TryParse(value, out var n) ? n
                        : long.TryParse(value, out var ms) && key is "listen_timeout" or "kill_timeout" or "restart_delay" or "min_uptime" ? ms
                        : value;
                    break;
            }
        }
        return options;
    }
}
