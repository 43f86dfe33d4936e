using Pmx.Control;
using Pmx.Processes;

namespace Pmx.Cli;

/// <summary>
/// The CLI's side of the control socket: send one request, print progress as it streams, print
/// the result, return its exit code. Starts the daemon first when the verb needs one.
/// </summary>
internal static class DaemonConnection
{
    static readonly TimeSpan DaemonStartTimeout = TimeSpan.FromSeconds(10);

    public static PmxHome Home { get; } = PmxHome.FromEnvironment();

    /// <summary>Sends a request; <paramref name="whenNotRunning"/> answers when there is no daemon and none should start.</summary>
    /// <remarks>Blocking calls throughout (see <see cref="ControlClient.Send"/>): every verb that talks to the daemon is one exchange.</remarks>
    public static int Send(ControlRequest request, bool startDaemon, Func<int>? whenNotRunning = null,
        Action<ControlResult>? onResult = null)
    {
        try
        {
            ControlResult result;
            try
            {
                result = ControlClient.Send(Home.SocketPath, request, Console.Out.WriteLine);
            }
            catch (DaemonNotRunningException)
            {
                if (!startDaemon)
                {
                    if (whenNotRunning != null) return whenNotRunning();
                    Console.Error.WriteLine($"pmx: no daemon is running for PMX_HOME={Home.Root}, so no app is running; start apps with 'pmx up'");
                    return ExitCodes.Failure;
                }
                if (!StartDaemon(CancellationToken.None).GetAwaiter().GetResult()) return ExitCodes.Failure;
                result = ControlClient.Send(Home.SocketPath, request, Console.Out.WriteLine);
            }
            if (onResult != null && result.ExitCode == 0) onResult(result);
            else PrintMessage(result.ExitCode, result.Message);
            return result.ExitCode;
        }
        catch (ControlProtocolException e)
        {
            PrintMessage(ExitCodes.Failure, e.Message); // the message may already start with "pmx:"
            return ExitCodes.Failure;
        }
    }

    /// <summary>The daemon's message: stdout on success, stderr (prefixed "pmx:") on failure.</summary>
    public static void PrintMessage(int exitCode, string? message)
    {
        if (string.IsNullOrEmpty(message)) return;
        if (exitCode == 0) Console.Out.WriteLine(message);
        else Console.Error.WriteLine(message.StartsWith("pmx:", StringComparison.Ordinal) ? message : "pmx: " + message);
    }

    /// <summary>
    /// After `down` or `kill` the daemon exits on its own; waiting for its socket to go away means
    /// the next command (`pmx resurrect`, `pmx up`) can never reach the daemon that is leaving.
    /// </summary>
    public static void WaitUntilDaemonGone(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && IsListening())
            Thread.Sleep(10);
    }

    /// <summary>A probe that fails outright (the channel breaking as the daemon leaves) is a daemon not listening: the command itself has succeeded.</summary>
    static bool IsListening()
    {
        try { return ControlSocket.ProbeAsync(Home.SocketPath, CancellationToken.None).GetAwaiter().GetResult() == ControlSocket.Probe.Listening; }
        catch (Exception e) when (e is IOException or ControlProtocolException) { return false; }
    }

    /// <summary>Asks the daemon quietly (nothing printed); null when no daemon runs.</summary>
    public static ControlResult? Query(ControlRequest request)
    {
        try { return ControlClient.Send(Home.SocketPath, request, _ => { }); }
        catch (DaemonNotRunningException) { return null; }
    }

    /// <summary>
    /// Starts the keeper (`pmx __keeper`, which starts and watches `pmx daemon`) in its own
    /// session, then waits for the daemon's socket. A keeper that is alive is restarting a daemon
    /// that died: waiting for it is right, a second keeper would race it for the workers.
    /// </summary>
    internal static async Task<bool> StartDaemon(CancellationToken ct)
    {
        Home.EnsureExists();
        KeepDaemonLogBounded();
        var launched = false;
        var pid = OperatingSystem.IsLinux() ? LiveKeeperPid() : null;
        var deadline = DateTime.UtcNow + DaemonStartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (pid is null && !launched)
            {
                pid = LaunchDaemon();
                launched = true;
            }
            if (await ControlSocket.ProbeAsync(Home.SocketPath, ct) == ControlSocket.Probe.Listening) return true;
            // What we wait on already exited and will never serve: stop waiting and show why (or,
            // if it was a leaving keeper we did not start, start ours).
            if (HasExited(pid))
            {
                if (await ControlSocket.ProbeAsync(Home.SocketPath, ct) == ControlSocket.Probe.Listening) return true;
                if (launched) break;
                pid = null;
                continue;
            }
            await Task.Delay(20, ct);
        }
        var what = OperatingSystem.IsLinux() ? "keeper pid" : "pid";
        Console.Error.WriteLine($"pmx: the daemon did not start ({what} {pid?.ToString() ?? "unknown"}); the end of {Home.DaemonLogPath}:");
        foreach (var line in TailOf(Home.DaemonLogPath, 10)) Console.Error.WriteLine("  " + line);
        return false;
    }

    /// <summary>The keeper of this PMX_HOME when one runs (its pid file names a live `pmx __keeper`).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static int? LiveKeeperPid()
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(Keeper.KeeperProcess.PidFilePath(Home)).Trim(), out var pid) || pid <= 1) return null;
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains(Keeper.KeeperProcess.Verb, StringComparison.Ordinal) && !IsZombie(pid) ? pid : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>daemon.log is the daemon's stdout for its whole life; each new daemon starts a fresh one past 10 MB.</summary>
    static void KeepDaemonLogBounded()
    {
        const long limit = 10 * 1024 * 1024;
        var log = new FileInfo(Home.DaemonLogPath);
        if (log.Exists && log.Length > limit) File.Move(log.FullName, log.FullName + ".1", overwrite: true);
    }

    /// <summary>The daemon's pid, or null when it is not known (Windows under Wine).</summary>
    static int? LaunchDaemon()
    {
        if (OperatingSystem.IsWindows())
        {
            // The daemon inherits this environment (WindowsDetachedLauncher), PMX_HOME resolved included.
            Environment.SetEnvironmentVariable("PMX_HOME", Home.Root);
            return WindowsDetachedLauncher.LaunchDaemon(Environment.ProcessPath!);
        }
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("pmx starts a background daemon on Linux and Windows only; run 'pmx up --no-daemon -c <config>' in the foreground");
        // The keeper (`pmx __keeper`) starts the daemon and outlives it (README: What survives what).
        var env = new Dictionary<string, string>(CurrentEnvironment(), StringComparer.Ordinal) { ["PMX_HOME"] = Home.Root };
        return DetachedLauncher.Launch([Environment.ProcessPath!, Keeper.KeeperProcess.Verb], Home.DaemonLogPath, env);
    }

    static bool HasExited(int? knownPid)
    {
        if (knownPid is not { } pid) return false;
        if (!OperatingSystem.IsWindows()) return !Directory.Exists($"/proc/{pid}") || IsZombie(pid);
        try
        {
            using var daemon = System.Diagnostics.Process.GetProcessById(pid);
            return daemon.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id any more
        }
    }

    static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return true; }
    }

    static IEnumerable<string> TailOf(string path, int lines) =>
        File.Exists(path) ? File.ReadAllLines(path).TakeLast(lines) : ["(no daemon log)"];

    public static Dictionary<string, string> CurrentEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }
}
