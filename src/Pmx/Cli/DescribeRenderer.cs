using System.Globalization;
using System.Text;
using Pmx.Config;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>
/// `pmx describe NAME`: the app's configuration as the daemon runs it, then each instance with
/// what a person debugging it asks first (is it up, since when, why did it last die, where are
/// its logs). Labels line up in one column; the text ends with a newline.
/// </summary>
internal static class DescribeRenderer
{
    const int LabelWidth = 14;

    public static string Render(AppDetails details, bool colour)
    {
        var text = new StringBuilder();
        var spec = details.Spec;
        text.Append(Title(spec)).Append('\n');
        Field(text, "script", Command(spec.Script, spec.Args));
        if (spec.Interpreter is not null) Field(text, "interpreter", Command(spec.Interpreter, spec.InterpreterArgs));
        Field(text, "cwd", spec.Cwd);
        if (details.ConfigPath is not null) Field(text, "config", details.ConfigPath + (details.EnvName is null ? "" : $" (--env {details.EnvName})"));
        if (spec.Port is { } port) Field(text, "listen", $"{spec.Host}:{port}, {Snake(spec.ReusePort.ToString())} socket");
        Field(text, "readiness", spec.WaitReady ? $"wait_ready, listen_timeout {FormatDuration(spec.ListenTimeout)}" : "online once running");
        Field(text, "stop", $"{spec.KillSignal}, SIGKILL after {FormatDuration(spec.KillTimeout)}");
        Field(text, "restart", Restart(spec));
        if (spec.MaxMemoryRestartBytes is { } limit) Field(text, "memory limit", ListRenderer.FormatMemory(limit));
        if (spec.CronRestart is not null) Field(text, "cron restart", spec.CronRestart);
        if (spec.Watch.Count > 0) Field(text, "watch", string.Join(", ", spec.Watch) + (spec.IgnoreWatch.Count > 0 ? $" (ignoring {string.Join(", ", spec.IgnoreWatch)})" : ""));
        Lines(text, "env", spec.Env.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

        foreach (var instance in details.Instances)
        {
            text.Append('\n');
            AppendInstance(text, instance, colour);
        }
        return text.ToString();
    }

    /// <summary>The shortest exact reading of a configured duration: "250ms", "5.5s", "2m", "0".</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero) return "0";
        if (duration.Ticks % TimeSpan.TicksPerMinute == 0) return Number(duration.TotalMinutes) + "m";
        if (duration.Ticks % TimeSpan.TicksPerSecond == 0 || duration >= TimeSpan.FromSeconds(1)) return Number(duration.TotalSeconds) + "s";
        return Number(duration.TotalMilliseconds) + "ms";
    }

    static void AppendInstance(StringBuilder text, InstanceDetails instance, bool colour)
    {
        var process = instance.Process;
        var status = ListRenderer.StatusWord(process.Status);
        if (colour) status = ListRenderer.StatusColour(process.Status) + status + "\e[0m";
        text.Append($"{process.Name}#{process.Instance.ToString(CultureInfo.InvariantCulture)}  {status}\n");

        Field(text, "pid", process.Pid == 0 ? "- (not running)" : process.Pid.ToString(CultureInfo.InvariantCulture));
        if (process.Pid != 0)
        {
            var started = process.StartedAt is { } at ? $" (since {Timestamp(at)})" : "";
            Field(text, "uptime", ListRenderer.FormatUptime(process.UptimeMs) + started);
            Field(text, "cpu, memory", $"{ListRenderer.FormatCpu(process.CpuPercent)}, {ListRenderer.FormatMemory(process.MemoryBytes)}");
        }
        Field(text, "readiness", Snake(instance.Readiness.ToString()).Replace('_', ' '));
        Field(text, "restarts", process.Restarts.ToString(CultureInfo.InvariantCulture));
        if (process.StatusText is not null) Field(text, "status text", process.StatusText);
        if (instance.LastWatchdogAt is { } ping) Field(text, "watchdog", $"last WATCHDOG=1 at {Timestamp(ping)}");
        if (instance.AnnouncedStopping) Field(text, "stopping", "the app announced STOPPING=1 on its own");
        Field(text, "last exit", process.LastExit ?? "none yet");
        Lines(text, "recent exits", instance.RecentExits.Select(exit => $"{Timestamp(exit.At)}  {exit.Reason} after {ListRenderer.FormatUptime((long)exit.Uptime.TotalMilliseconds)}"));
        Lines(text, "logs", [instance.OutLogPath + " (stdout)", instance.ErrorLogPath + " (stderr)"]);
    }

    static string Title(AppSpec spec)
    {
        var instances = spec.Instances == 1 ? "1 instance" : $"{spec.Instances.ToString(CultureInfo.InvariantCulture)} instances";
        return $"{spec.Name}  ({Snake(spec.ExecMode.ToString())} mode, {instances})";
    }

    static string Restart(AppSpec spec)
    {
        if (!spec.Autorestart) return "never (autorestart = false)";
        var backoff = spec.ExpBackoffRestartDelay > TimeSpan.Zero ? $", backoff from {FormatDuration(spec.ExpBackoffRestartDelay)}" : "";
        var delay = spec.RestartDelay > TimeSpan.Zero ? $" after {FormatDuration(spec.RestartDelay)}" : "";
        return $"on exit{delay}{backoff}; errored after {spec.MaxRestarts.ToString(CultureInfo.InvariantCulture)} unstable exits in a row (sooner than {FormatDuration(spec.MinUptime)})";
    }

    static string Command(string program, IReadOnlyList<string> args) =>
        args.Count == 0 ? program : program + " " + string.Join(' ', args.Select(arg => arg.Contains(' ') || arg.Length == 0 ? $"\"{arg}\"" : arg));

    static void Field(StringBuilder text, string label, string value) =>
        text.Append("  ").Append(label.PadRight(LabelWidth)).Append(value).Append('\n');

    /// <summary>A label over several values, one per line; nothing at all when there are none.</summary>
    static void Lines(StringBuilder text, string label, IEnumerable<string> values)
    {
        var first = true;
        foreach (var value in values)
        {
            Field(text, first ? label : "", value);
            first = false;
        }
    }

    static string Timestamp(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
