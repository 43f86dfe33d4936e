using System.Diagnostics;

namespace Pmx.Windows;

public sealed record RunResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs artifacts/windows/pmx.exe under Wine, as a Windows user would run pmx, always with a deadline.</summary>
public static class WinePmx
{
    /// <summary>Wine's start-up alone takes 0.1 s to several seconds on a busy 2-core machine.</summary>
    public static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string PmxExe { get; } = Path.Combine(RepoRoot, "artifacts", "windows", "pmx.exe");

    /// <summary>The Windows path Wine gives a Linux path (drive Z: is the Linux root).</summary>
    /// <summary>A free TCP port on 127.0.0.1, for an app's `port` (the Linux client loads it there).</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>How many workers `list --json` shows online; -1 when the list fails.</summary>
    public static async Task<int> OnlineCount(Func<string[], Task<RunResult>> pmx)
    {
        var list = await pmx(["list", "--json"]);
        if (list.ExitCode != 0) return -1;
        using var json = System.Text.Json.JsonDocument.Parse(list.Stdout);
        return json.RootElement.EnumerateArray().Count(p => p.GetProperty("status").GetString() == "online");
    }

    public static string WindowsPath(string linuxPath) => "Z:" + linuxPath.Replace('/', '\\');

    /// <summary>`wine pmx.exe args` with PMX_HOME set to <paramref name="home"/>.</summary>
    /// <remarks>
    /// Every way pmx fails says why, on stdout or stderr. An exit code 1 with no output at all was
    /// seen twice in about fifteen full runs on a loaded 2-core machine, in two different tests;
    /// most likely Wine's own failure (WINEDEBUG=-all hides its reason), not pmx's. Such a run is
    /// started once more, and the test's output says so.
    /// </remarks>
    public static async Task<RunResult> Run(WinePrefix prefix, string home, IReadOnlyList<string> args, CancellationToken ct,
        string? cwd = null, IReadOnlyDictionary<string, string>? env = null, TimeSpan? deadline = null)
    {
        ProcessStartInfo Command()
        {
            var psi = prefix.StartInfo("wine");
            psi.ArgumentList.Add(PmxExe);
            foreach (var arg in args) psi.ArgumentList.Add(arg);
            psi.Environment["PMX_HOME"] = WindowsPath(home);
            if (env != null) foreach (var (name, value) in env) psi.Environment[name] = value;
            psi.WorkingDirectory = cwd ?? home;
            return psi;
        }
        var what = $"wine pmx.exe {string.Join(' ', args)}";
        var result = await Run(Command(), deadline ?? CommandDeadline, what, ct);
        if (result is not { ExitCode: 1, Stdout: "", Stderr: "" }) return result;
        Console.WriteLine($"'{what}' exited 1 with no output at all (no pmx failure is silent); running it once more");
        return await Run(Command(), deadline ?? CommandDeadline, what, ct);
    }

    /// <summary>A Linux tool (cp, wineserver) with the prefix's environment.</summary>
    public static Task<RunResult> RunTool(string program, IReadOnlyList<string> args, WinePrefix prefix, TimeSpan deadline, CancellationToken ct)
    {
        var psi = prefix.StartInfo(program);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        return Run(psi, deadline, $"{program} {string.Join(' ', args)}", ct);
    }

    /// <summary>Runs to exit; past <paramref name="deadline"/> the process tree is killed and the wait fails.</summary>
    static async Task<RunResult> Run(ProcessStartInfo psi, TimeSpan deadline, string what, CancellationToken ct)
    {
        using var p = Process.Start(psi)!;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(deadline);
        var stdout = p.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = p.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await p.WaitForExitAsync(bounded.Token);
            return new RunResult(p.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"'{what}' did not finish within {deadline.TotalSeconds:0} s");
        }
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (no global.json above " + AppContext.BaseDirectory + ")");
    }
}
