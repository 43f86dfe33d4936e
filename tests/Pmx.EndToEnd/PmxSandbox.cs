using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pmx.EndToEnd;

/// <summary>
/// One end-to-end test's world: its own PMX_HOME, its own config files, the published pmx binary.
/// Disposing it always leaves nothing running: `pmx kill`, then SIGKILL for any process whose
/// environment names this PMX_HOME (every worker inherits it from the CLI), then the daemon by pid.
/// It prints the daemon log, which TUnit shows for a failed test.
/// </summary>
public sealed class PmxSandbox : IAsyncDisposable
{
    public PmxSandbox() : this(Directory.CreateTempSubdirectory("pmx-e2e-").FullName) { }

    /// <summary>A sandbox whose PMX_HOME is a folder the test prepared (e.g. a small tmpfs, see <see cref="TmpfsMount"/>).</summary>
    public PmxSandbox(string home)
    {
        Home = home;
        WorkDir = Path.Combine(Home, "work");
        Directory.CreateDirectory(WorkDir);
    }

    /// <summary>
    /// Runs a start helper's set-up; if it throws, disposes the sandbox (killing what it started)
    /// before the exception leaves, since the caller never got a sandbox to dispose.
    /// </summary>
    public async Task<T> DisposeIfSetupFails<T>(Func<Task<T>> setUp)
    {
        try { return await setUp(); }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc cref="DisposeIfSetupFails{T}(Func{Task{T}})"/>
    public Task DisposeIfSetupFails(Func<Task> setUp) => DisposeIfSetupFails(async () => { await setUp(); return true; });

    public string Home { get; }
    /// <summary>Where config files and worker files go (PMX_HOME itself is pmx's).</summary>
    public string WorkDir { get; }
    public string DaemonLog => Path.Combine(Home, "daemon.log");

    public Dictionary<string, string> Env => new() { ["PMX_HOME"] = Home, ["NO_COLOR"] = "1" };

    public string WriteConfig(string toml, string fileName = "ecosystem.toml")
    {
        var path = Path.Combine(WorkDir, fileName);
        File.WriteAllText(path, toml);
        return path;
    }

    public Task<RunResult> Pmx(CancellationToken ct, params string[] args) => PmxRun.Run(args, ct, Env, WorkDir);

    public async Task<RunResult> PmxOk(CancellationToken ct, params string[] args)
    {
        var result = await Pmx(ct, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"pmx {string.Join(' ', args)} exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        return result;
    }

    public async Task<List<ListedInstance>> List(CancellationToken ct)
    {
        var result = await PmxOk(ct, "list", "--json");
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.EnumerateArray().Select(e => new ListedInstance(
            e.GetProperty("name").GetString()!, e.GetProperty("instance").GetInt32(), e.GetProperty("pid").GetInt32(),
            e.GetProperty("status").GetString()!, e.GetProperty("restarts").GetInt32(), e.GetProperty("id").GetInt32())).ToList();
    }

    public static string TestWorker => PmxBinary.TestWorker;

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await Pmx(cts.Token, "kill"); } catch { /* fall through to the hard cleanup */ }
        // The keeper first (it restarts a dead daemon), then the daemon, so neither can start a
        // replacement after the sweep below.
        // A pid file may outlive its process (a test killed it); the number may belong to another
        // test's process by now, so only a process that carries this home is killed.
        if (PidIn("keeper.pid") is { } keeperPid && IsOfThisHome(keeperPid)) Kill(keeperPid);
        if (PidIn("daemon.pid") is { } daemonPid && IsOfThisHome(daemonPid)) Kill(daemonPid);
        foreach (var pid in ProcessesOfThisHome()) Kill(pid);
        if (File.Exists(DaemonLog))
        {
            Console.WriteLine("---- daemon.log ----");
            Console.WriteLine(File.ReadAllText(DaemonLog));
        }
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The pid in a pid file of this home, or null once it is gone (the process deletes it as it exits, maybe right now).</summary>
    int? PidIn(string pidFile)
    {
        try { return int.TryParse(File.ReadAllText(Path.Combine(Home, pidFile)).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    /// <summary>Every live process whose environment carries PMX_HOME=this home.</summary>
    public IEnumerable<int> ProcessesOfThisHome()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId && IsOfThisHome(pid)) yield return pid;
        }
    }

    /// <summary>Whether the live process <paramref name="pid"/> has PMX_HOME=this home in its environment.</summary>
    bool IsOfThisHome(int pid)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes("PMX_HOME=" + Home + "\0");
        try { return File.ReadAllBytes($"/proc/{pid}/environ").AsSpan().IndexOf(marker) >= 0; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static void Kill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: false); }
        catch (ArgumentException) { } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }
}

public sealed record ListedInstance(string Name, int Instance, int Pid, string Status, int Restarts, int Id = -1);
