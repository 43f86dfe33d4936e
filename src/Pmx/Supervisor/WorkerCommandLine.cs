using Pmx.Config;

namespace Pmx.Supervisor;

/// <summary>The argv and environment of one worker, from its app's spec (pure; unit-tested).</summary>
internal static class WorkerCommandLine
{
    public static IReadOnlyList<string> Argv(AppSpec spec)
    {
        var argv = new List<string>();
        if (spec.Interpreter is { } interpreter)
        {
            argv.Add(interpreter);
            argv.AddRange(spec.InterpreterArgs);
        }
        argv.Add(spec.Script);
        argv.AddRange(spec.Args);
        return argv;
    }

    /// <summary>
    /// The CLI's environment, then the app's env table, then what pmx itself promises the worker
    /// (which wins, so a stale PMX_INSTANCE inherited from a shell cannot mislead the app).
    /// </summary>
    public static Dictionary<string, string> Environment(AppSpec spec, int instance,
        IReadOnlyDictionary<string, string> baseEnvironment, string? notifySocket)
    {
        var env = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        // Variables that describe the CLI's own position in a supervision tree must not leak into workers.
        foreach (var inherited in InheritedButMisleading) env.Remove(inherited);
        foreach (var (key, value) in spec.Env) env[key] = value;
        env["PMX_APP"] = spec.Name;
        env["PMX_INSTANCE"] = instance.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(spec.InstanceVar))
            env[spec.InstanceVar] = env["PMX_INSTANCE"];
        if (spec.Port is { } port && !spec.Env.ContainsKey("PORT"))
            env["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (notifySocket != null) env["NOTIFY_SOCKET"] = notifySocket;
        return env;
    }

    static readonly string[] InheritedButMisleading =
    [
        "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "SYSTEMD_EXEC_PID",
        "NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE", "WATCHDOG_USEC", "WATCHDOG_PID",
        Sockets.Handoff.HandoffWire.PipeVariable,
    ];
}
