using System.Globalization;

namespace Pmx.EndToEnd;

/// <summary>
/// The world of the daemon-survival tests (issue 14): a 4-instance cluster app on 127.0.0.1, an
/// optional fork app that writes a numbered line every 50 ms, and the pid files pmx keeps.
/// </summary>
public static class DaemonWorld
{
    public static string WebApp(int port) => $"""
        [[apps]]
        name = "web"
        script = "{PmxSandbox.TestWorker}"
        args = ["--http", "--notify-ready", "--drain", "300ms"]
        instances = 4
        exec_mode = "cluster"
        port = {port}
        host = "127.0.0.1"
        wait_ready = true
        kill_signal = "SIGTERM"
        kill_timeout = 5000
        """;

    public const string TickerApp = """
        [[apps]]
        name = "ticker"
        script = "/bin/sh"
        args = ["-c", "i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.05; done"]
        """;

    /// <summary>A sandbox running the web app (and the ticker when asked), with its port.</summary>
    public static async Task<(PmxSandbox Sandbox, int Port)> Start(bool withTicker, CancellationToken ct)
    {
        var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        await sandbox.DisposeIfSetupFails(async () =>
        {
            sandbox.WriteConfig(WebApp(port) + (withTicker ? "\n\n" + TickerApp : ""));
            await sandbox.PmxOk(ct, "up");
        });
        return (sandbox, port);
    }

    public static async Task<Dictionary<(string, int), int>> OnlinePids(PmxSandbox sandbox, CancellationToken ct) =>
        (await sandbox.List(ct)).Where(i => i.Status == "online").ToDictionary(i => (i.Name, i.Instance), i => i.Pid);

    public static int DaemonPid(PmxSandbox sandbox) => PidIn(sandbox, "daemon.pid");

    /// <summary>The pid a pid file of the sandbox's PMX_HOME names; 0 when there is none.</summary>
    public static int PidIn(PmxSandbox sandbox, string pidFile)
    {
        try { return int.Parse(File.ReadAllText(Path.Combine(sandbox.Home, pidFile)).Trim(), CultureInfo.InvariantCulture); }
        catch (IOException) { return 0; }
        catch (FormatException) { return 0; }
    }
}
