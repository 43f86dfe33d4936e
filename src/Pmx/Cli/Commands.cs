using ConsoleAppFramework;

namespace Pmx.Cli;

/// <summary>
/// Every verb of pmx, declared once with its help text. Each method only binds arguments and
/// hands over to the verb's own class, so this file reads as the CLI's table of contents.
/// </summary>
internal sealed class Commands
{
    /// <summary>Start (or reconcile) every app of an ecosystem file.</summary>
    /// <param name="config">-c, The ecosystem file to read.</param>
    /// <param name="env">Apply [apps.env_NAME] on top of [apps.env].</param>
    /// <param name="noDaemon">Run the supervisor in the foreground (containers, CI): output prefixed 'name#i |', SIGTERM stops everything.</param>
    /// <param name="updateEnv">Give apps this shell's environment (otherwise they keep the one they started with).</param>
    [Command("up")]
    public int Up(string config = "ecosystem.toml", string? env = null, bool noDaemon = false, bool updateEnv = false)
        => UpCommand.Run(config, env, noDaemon, updateEnv);

    /// <summary>Stop every app gracefully and shut the daemon down.</summary>
    /// <param name="config">-c, Only stop the apps of this ecosystem file.</param>
    [Command("down")]
    public int Down(string? config = null) => DaemonCommands.Down(config);

    /// <summary>
    /// Start a config file's apps (ecosystem.config.js/.json/.yml/.toml), a script or command as a new
    /// app, or known apps by name or id. PM2's options: -n/--name, -i N|max|-1 (cluster for Node),
    /// --watch, --ignore-watch, --max-memory-restart, --cron, --no-autorestart, --interpreter,
    /// --node-args, -o/--output, -e/--error, --merge-logs, --time, --log-date-format, --wait-ready,
    /// --listen-timeout, --kill-timeout, --cwd, --port, --env NAME, --only NAMES; after -- the app's arguments.
    /// </summary>
    /// <param name="target">Config file, script, "command with args", app name, id or 'all'.</param>
    [Command("start")]
    public int Start(ConsoleAppContext context, [Argument] string target)
        => StartCommand.Run([target, .. context.EscapedArguments.IsEmpty ? [] : (string[])["--", .. context.EscapedArguments]]);

    /// <summary>Stop an app gracefully (kill_signal, then SIGKILL after kill_timeout).</summary>
    /// <param name="target">App names, ids from 'pmx list' (an id is one process, as in PM2), or 'all'.</param>
    [Command("stop")]
    public int Stop([Argument] params string[] target) => DaemonCommands.OnApps("stop", target);

    /// <summary>Stop then start an app (not graceful; see reload).</summary>
    /// <param name="target">App names, ids from 'pmx list' (an id is one process, as in PM2), or 'all'.</param>
    /// <param name="updateEnv">Take this shell's environment for the app (PM2's --update-env).</param>
    [Command("restart")]
    public int Restart(bool updateEnv = false, [Argument] params string[] target) => DaemonCommands.OnApps("restart", target, updateEnv);

    /// <summary>Replace every worker of an app one at a time with zero downtime.</summary>
    /// <param name="target">App names, ids from 'pmx list' (an id is one process, as in PM2), or 'all'.</param>
    /// <param name="updateEnv">Take this shell's environment for the app (PM2's --update-env).</param>
    [Command("reload")]
    public int Reload(bool updateEnv = false, [Argument] params string[] target) => ReloadCommand.Run(target.Length > 0 ? target : ["all"], updateEnv);

    /// <summary>Stop an app and forget it.</summary>
    /// <param name="target">App names, ids from 'pmx list' (the id of a single-instance app; use scale for fewer instances), or 'all'.</param>
    [Command("delete")]
    public int Delete([Argument] params string[] target) => DaemonCommands.OnApps("delete", target);

    /// <summary>Run exactly N instances of an app, or N more (+N) or fewer (-N).</summary>
    /// <param name="app">App name.</param>
    /// <param name="count">N, +N or -N.</param>
    [Command("scale")]
    public int Scale([Argument] string app, [Argument] string count) => DaemonCommands.OnApp("scale", app, count);

    /// <summary>Show every instance: name, pid, status, uptime, restarts, cpu, memory.</summary>
    /// <param name="filter">Only apps whose name contains this.</param>
    /// <param name="json">Print a JSON array (a stable interface for scripts).</param>
    [Command("list|ls")]
    public int List([Argument] string? filter = null, bool json = false) => DaemonCommands.List(json, filter);

    /// <summary>Watch every instance live (cpu, memory, restarts, uptime) and the selected one's stdout; q quits.</summary>
    [Command("monit")]
    public int Monit() => MonitCommand.Run();

    /// <summary>Show everything pmx knows about one app.</summary>
    /// <param name="name">App name, or an id from 'pmx list' (that one process).</param>
    [Command("describe")]
    public int Describe([Argument] string name) => DaemonCommands.Describe(name);

    /// <summary>
    /// Print the logs of one app or all of them (works with the daemon down). On a terminal it then
    /// follows new lines, like `pm2 logs`; --nostream, --lines N or a pipe print and exit.
    /// </summary>
    /// <param name="name">App name, name#instance or an id from 'pmx list' (default: every app).</param>
    /// <param name="lines">Number of lines to print from the end of each file (default 15).</param>
    /// <param name="follow">-f, Keep printing new lines as they arrive (even into a pipe).</param>
    /// <param name="nostream">Print and exit, never follow.</param>
    /// <param name="err">Only stderr.</param>
    /// <param name="out">Only stdout.</param>
    [Command("logs")]
    public int Logs([Argument] string? name = null, int? lines = null, bool follow = false, bool nostream = false, bool err = false, bool @out = false)
    {
        using var interrupted = new CancellationTokenSource();
        using var ctrlC = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, ctx => { ctx.Cancel = true; interrupted.Cancel(); });
        // PM2's habit: a bare `logs` on a terminal streams; asking for N lines or piping means "print".
        var streams = follow || (!nostream && lines is null && Terminal.IsStdoutTty);
        return LogsCommand.Run(name, lines ?? 15, streams, err, @out, interrupted.Token);
    }

    /// <summary>Empty the log files of one app or all of them.</summary>
    /// <param name="name">App name, name#instance or an id from 'pmx list' (default: every app).</param>
    [Command("flush")]
    public int Flush([Argument] string? name = null) => FlushCommand.Run(name);

    /// <summary>Send a signal to an app's workers (name) or one worker (name#i, or its id).</summary>
    /// <param name="signal">Signal name or number (SIGUSR2, USR2, 12).</param>
    /// <param name="target">name, name#instance or an id from 'pmx list'.</param>
    [Command("signal")]
    public int Signal([Argument] string signal, [Argument] string target) => DaemonCommands.OnApp("signal", target, signal);

    /// <summary>Save the running process list to PMX_HOME/dump.toml.</summary>
    /// <param name="force">Save even when nothing runs (empties the saved list).</param>
    [Command("save")]
    public int Save(bool force = false) => DaemonCommands.OnApp("save", "all", force ? ["--force"] : []);

    /// <summary>Start what the last 'pmx save' recorded.</summary>
    /// <param name="noDaemon">Supervise in the foreground (what the systemd unit of 'pmx startup' runs).</param>
    [Command("resurrect")]
    public int Resurrect(bool noDaemon = false) => ResurrectCommand.Run(noDaemon);

    /// <summary>Print (or install) what resurrects pmx at boot: a systemd unit on Linux, a logon entry on Windows.</summary>
    /// <param name="system">systemd (Linux, the default there) or windows (the default there).</param>
    /// <param name="install">Write the unit or the logon entry instead of printing it.</param>
    /// <param name="user">-u, The user whose saved apps the unit runs (default: you; under sudo, SUDO_USER).</param>
    /// <param name="hp">That user's home folder, when PMX_HOME is not set (default: from /etc/passwd).</param>
    [Command("startup")]
    public int Startup([Argument] string? system = null, bool install = false, string? user = null, string? hp = null) =>
        StartupCommand.Run(system, install, user, hp);

    /// <summary>Undo 'pmx startup': remove the logon entry (Windows), or say how to remove the systemd unit.</summary>
    [Command("unstartup")]
    public int Unstartup() => StartupCommand.Unstartup();

    /// <summary>Validate an ecosystem file and print what would run, without starting anything.</summary>
    /// <param name="config">-c, The ecosystem file to read.</param>
    /// <param name="env">Apply [apps.env_NAME] on top of [apps.env].</param>
    [Command("check")]
    public int Check(string config = "ecosystem.toml", string? env = null) => CheckCommand.Run(config, env);

    /// <summary>Print the ecosystem.toml equivalent of a PM2 config (ecosystem.config.js, .json, .yml); unsupported keys stay as comments.</summary>
    /// <param name="file">The PM2 config file.</param>
    [Command("import")]
    public int Import([Argument] string file) => ImportCommand.Run(file);

    /// <summary>Replace the running daemon with the pmx binary on disk; no worker restarts, no request fails.</summary>
    /// <param name="binary">The pmx binary the new daemon runs (default: this one).</param>
    [Command("update")]
    public int Update(string? binary = null) => UpdateCommand.Run(binary);
    /// <summary>Check that the daemon answers, starting it when none runs (PM2's ping).</summary>
    [Command("ping")]
    public int Ping() => DaemonCommands.Ping();

    /// <summary>Kill the daemon and every worker now (no graceful stop).</summary>
    [Command("kill")]
    public int Kill() => DaemonCommands.Kill();

    /// <summary>Print the version of this binary.</summary>
    [Command("version")]
    public int Version()
    {
        Console.Out.WriteLine(BuildInfo.Version);
        return ExitCodes.Ok;
    }
}
