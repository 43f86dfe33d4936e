namespace Pmx.Windows;

/// <summary>
/// One test's PMX_HOME under Wine (a Linux temp folder, Z:\… to pmx.exe). Disposing stops the
/// daemon it may have started (`pmx.exe kill`), so a failed test leaves no daemon behind in the
/// class's prefix; the prefix's own disposal kills whatever is left.
/// </summary>
public sealed class WineHome(WinePrefix prefix) : IAsyncDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pmx-winhome-").FullName;

    public Task<RunResult> Pmx(CancellationToken ct, params string[] args) => WinePmx.Run(prefix, Path, args, ct);

    public string DaemonLog => File.Exists(System.IO.Path.Combine(Path, "daemon.log"))
        ? File.ReadAllText(System.IO.Path.Combine(Path, "daemon.log"))
        : "(no daemon.log)";

    public async ValueTask DisposeAsync()
    {
        try { await WinePmx.Run(prefix, Path, ["kill"], CancellationToken.None, deadline: TimeSpan.FromSeconds(60)); }
        catch (TimeoutException) { await prefix.Kill(); }
        Directory.Delete(Path, recursive: true);
    }
}
