using Pmx.Config;
using Pmx.Control;
using Tomlyn.Model;

namespace Pmx.Cli;

/// <summary>
/// `pmx start` as PM2 users type it: a config file (ecosystem.config.js, .json, .yml, .toml) starts
/// its apps and is never run as a script; a script or command starts a new app with PM2's options
/// (-i 4 on a Node script means cluster mode); names, ids and `all` start known apps again.
/// </summary>
internal static class StartCommand
{
    public static int Run(IReadOnlyList<string> argv)
    {
        if (Pm2StartOptions.Parse(argv, out var error) is not { } options)
        {
            Console.Error.WriteLine("pmx: " + error);
            return ExitCodes.Usage;
        }
        if (options.Targets.Count == 0)
        {
            Console.Error.WriteLine("pmx: start what? Give a script, a command, a config file (ecosystem.config.js, ecosystem.toml) or an app name");
            return ExitCodes.Usage;
        }
        var first = options.Targets[0];
        if (IsConfigFile(first)) return StartConfig(first, options);
        if (options.Targets.Count > 1 || IsKnownTarget(first, options))
            return DaemonConnection.Send(new ControlRequest { Command = "start", Target = string.Join(',', options.Targets) }, startDaemon: false);
        return StartScript(first, options);
    }

    /// <summary>PM2's rule: .json/.yml/.yaml are configs; a .js file is one when its name says ecosystem or .config.</summary>
    public static bool IsConfigFile(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        var extension = Path.GetExtension(name);
        if (extension is ".toml" or ".json" or ".yml" or ".yaml") return true;
        return extension is ".js" or ".cjs" or ".mjs" && (name.Contains("ecosystem") || name.Contains(".config."));
    }

    static int StartConfig(string path, Pm2StartOptions options)
    {
        var loaded = ConfigLoader.Load(path, options.EnvName);
        if (!ConfigReport.Print(loaded)) return ExitCodes.Usage;
        var apps = loaded.Apps;
        if (options.Only is { } only)
        {
            var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = wanted.Where(n => apps.All(a => a.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"pmx: --only {only}: {path} has no app named {string.Join(", ", unknown.Select(n => $"'{n}'"))} (it has {string.Join(", ", apps.Select(a => a.Name))})");
                return ExitCodes.Usage;
            }
            apps = apps.Where(a => wanted.Contains(a.Name)).ToList();
        }
        return DaemonConnection.Send(new ControlRequest
        {
            // With --only the other apps of the file are not this command's business: up neither starts
            // nor stops them, and a later bare reload, which re-reads the file, leaves them out too.
            Command = "up", Apps = apps, Environment = DaemonConnection.CurrentEnvironment(),
            ConfigPath = Path.GetFullPath(path), IsPartOfConfig = options.Only is not null, EnvName = options.EnvName,
            WorkingDirectory = Environment.CurrentDirectory,
        }, startDaemon: true);
    }

    /// <summary>`pmx start web`, `pmx start 0`, `pmx start all`: an app pmx knows, started again (PM2 does the same).</summary>
    static bool IsKnownTarget(string target, Pm2StartOptions options)
    {
        if (File.Exists(target) || target.Contains('/') || target.Contains(' ') || options.Args.Count > 0 || options.Keys.Count > 0 || options.Name != null || options.Instances != null)
            return false;
        if (target == "all") return true;
        return DaemonConnection.Query(new ControlRequest { Command = "list" }) is { } known
            && known.Processes?.Any(p => p.Name == target || p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == target) == true;
    }

    static int StartScript(string target, Pm2StartOptions options)
    {
        var (script, args) = SplitCommand(target);
        if (script is null)
        {
            Console.Error.WriteLine($"pmx: cannot split \"{target}\" into a command and its arguments (unbalanced quotes?)");
            return ExitCodes.Usage;
        }
        args.AddRange(options.Args);
        var app = options.Keys;
        var name = options.Name ?? DefaultName(script, args);
        app["name"] = name;
        app["script"] = script;
        if (args.Count > 0) app["args"] = ToArray(args);
        if (options.Instances is { } instances)
        {
            app["instances"] = long.TryParse(instances, out var n) ? n : instances;
            var interpreter = app.TryGetValue("interpreter", out var i) ? i as string : null;
            // PM2: -i on a Node script means cluster mode (with pmx's preload, no port key is needed).
            if (Path.GetFileName(interpreter ?? ScriptResolution.InferInterpreter(script) ?? script) is "node" or "nodejs")
                app["exec_mode"] = "cluster";
        }
        var root = new TomlTable { ["apps"] = new TomlArray { app } };
        var doc = new ConfigDocument("pmx start", Environment.CurrentDirectory, new Tomlyn.Serialization.TomlMetadataStore());
        var loaded = ConfigLoader.Validate(doc, root, [], options.EnvName);
        loaded = new ConfigLoadResult(loaded.Apps,
            loaded.Errors.Select(e => new ConfigError(e.File, 0, 0, e.Key, "pmx start: " + e.Message.Replace("[[apps]] ", "app ", StringComparison.Ordinal))).ToList(),
            loaded.Warnings.Select(w => w.Replace("pmx start:1:1: ", "pmx start: ", StringComparison.Ordinal)).ToList());
        if (!ConfigReport.Print(loaded)) return ExitCodes.Usage;
        return DaemonConnection.Send(new ControlRequest
        {
            Command = "start", Target = name, Apps = loaded.Apps, Environment = DaemonConnection.CurrentEnvironment(),
        }, startDaemon: true);
    }

    /// <summary>`pmx start "node server.js --x"`: split like a shell would, never run by one.</summary>
    static (string? Script, List<string> Args) SplitCommand(string target)
    {
        if (File.Exists(target) || !target.Contains(' ')) return (target, []);
        if (!ShellWords.TrySplit(target, out var words, out _) || words.Count == 0) return (null, []);
        return (words[0], words.Skip(1).ToList());
    }

    /// <summary>PM2 names an app after its script file; `node server.js` after server, `npm -- start` npm.</summary>
    static string DefaultName(string script, List<string> args)
    {
        var file = Path.GetFileName(script) is "node" or "nodejs" or "python" or "python3" or "bun" or "deno"
            ? args.FirstOrDefault(a => !a.StartsWith('-')) ?? script
            : script;
        var name = Path.GetFileNameWithoutExtension(file);
        return string.IsNullOrEmpty(name) ? "app" : name;
    }

    static TomlArray ToArray(IEnumerable<string> items)
    {
        var array = new TomlArray();
        foreach (var item in items) array.Add(item);
        return array;
    }

    /// <summary>
    /// The command line as an ecosystem file, so it meets the same validation as `pmx up`. Every
    /// value is a quoted, escaped TOML string: an argument holding a newline or a quote stays one
    /// argument, never a new key.
    /// </summary>
    internal static string ConfigText(string appName, string script, int instances, IReadOnlyList<string> args) =>
        $"[[apps]]\nname = {TomlString.Quote(appName)}\nscript = {TomlString.Quote(script)}\n"
        + $"instances = {instances.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nargs = [{string.Join(", ", args.Select(TomlString.Quote))}]\n";
}
