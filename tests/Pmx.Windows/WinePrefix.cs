using System.Diagnostics;
using TUnit.Core.Interfaces;

namespace Pmx.Windows;

/// <summary>
/// A private copy of the cached Wine prefix for one test class (./build.sh test makes the cache
/// and names it in PMX_WINE_PREFIX). One wineserver per prefix: nothing here touches another
/// class's or another user's Wine. Disposing kills every process of the copy, then deletes it.
/// </summary>
public sealed class WinePrefix : IAsyncInitializer, IAsyncDisposable
{
    public const string CacheVariable = "PMX_WINE_PREFIX";
    static readonly TimeSpan CopyDeadline = TimeSpan.FromMinutes(2);

    public string Path { get; private set; } = "";
    /// <summary>Why this machine cannot run the lane; null when it can.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        var cached = Environment.GetEnvironmentVariable(CacheVariable);
        Unavailable = cached is null ? $"{CacheVariable} is not set: run the Windows lane through ./build.sh test (it installs Wine and makes the prefix)"
            : !Directory.Exists(cached) ? $"{CacheVariable}={cached} does not exist"
            : !File.Exists(WinePmx.PmxExe) ? $"{WinePmx.PmxExe} is missing: run ./build.sh windows"
            : null;
        if (Unavailable != null) return;
        Path = Directory.CreateTempSubdirectory("pmx-wine-").FullName + "/prefix";
        var copy = await WinePmx.RunTool("cp", ["-a", cached!, Path], this, CopyDeadline, CancellationToken.None);
        if (copy.ExitCode != 0) throw new InvalidOperationException($"cannot copy the Wine prefix {cached}: {copy.Stderr}");
        // Wine's server and system processes (services.exe, explorer.exe…) keep the Unix stderr of
        // the wine command that started them for their whole life; started here with stdio on
        // /dev/null, they never hold a test's pipe open. Persistent until Kill().
        var boot = await WinePmx.RunTool("sh", ["-c", "exec </dev/null >/dev/null 2>&1; wineserver -p && wine cmd /c exit"], this, CopyDeadline, CancellationToken.None);
        if (boot.ExitCode != 0) throw new InvalidOperationException($"cannot start Wine in the prefix {Path} (exit code {boot.ExitCode})");
    }

    /// <summary>Every Wine process of this prefix ends (`wineserver -k`), then the copy goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Path.Length == 0) return;
        await Kill();
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }

    public async Task Kill()
    {
        try { await WinePmx.RunTool("wineserver", ["-k"], this, TimeSpan.FromSeconds(30), CancellationToken.None); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { /* the folder goes anyway */ }
    }

    /// <summary>Live (not zombie) Linux processes of this prefix whose command line names <paramref name="program"/>.</summary>
    public IReadOnlyList<int> Processes(string program)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText($"{dir}/cmdline");
                if (!cmdline.Contains(program, StringComparison.OrdinalIgnoreCase)) continue;
                if (!File.ReadAllText($"{dir}/environ").Split('\0').Contains("WINEPREFIX=" + Path)) continue;
                if (File.ReadAllText($"{dir}/stat").Contains(") Z ", StringComparison.Ordinal)) continue;
                found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* gone meanwhile, or not ours */ }
        }
        return found;
    }

    public ProcessStartInfo StartInfo(string program)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["WINEPREFIX"] = Path;
        psi.Environment["WINEDEBUG"] = "-all";
        // Only wineboot wants the Mono/Gecko override; .NET apps fail to load with it set.
        psi.Environment.Remove("WINEDLLOVERRIDES");
        return psi;
    }
}
