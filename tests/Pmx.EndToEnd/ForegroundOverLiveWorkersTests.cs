using System.Diagnostics;
using static Pmx.EndToEnd.DaemonWorld;

namespace Pmx.EndToEnd;

/// <summary>
/// Issue 14: `pmx up --no-daemon` on a PMX_HOME whose background daemon died with live workers
/// refuses, naming them, and starts no duplicate beside them.
/// </summary>
[NotInParallel("load")]
public class ForegroundOverLiveWorkersTests
{
    [Test, Timeout(120_000)]
    public async Task ForegroundUpOverTheLiveWorkersOfADeadDaemonRefusesNamingThemAndStartsNothing(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig(WebApp(PmxSandbox.FreePort()));
        // A bare `pmx daemon` (no keeper to restart it): once it is killed, nothing serves the home.
        using (var bare = Process.Start(new ProcessStartInfo(PmxBinary.Path, "daemon")
        {
            Environment = { ["PMX_HOME"] = sandbox.Home },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            await Poll.Until(() => File.Exists(Path.Combine(sandbox.Home, "pmx.sock")), TimeSpan.FromSeconds(10), "the bare daemon's socket", ct);
            await sandbox.PmxOk(ct, "up");
            var orphans = (await OnlinePids(sandbox, ct)).Values.Order().ToList();
            bare.Kill();
            await bare.WaitForExitAsync(ct);

            var foreground = Process.Start(new ProcessStartInfo(PmxBinary.Path, ["up", "--no-daemon"])
            {
                Environment = { ["PMX_HOME"] = sandbox.Home, ["NO_COLOR"] = "1" },
                WorkingDirectory = sandbox.WorkDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = foreground.StandardError.ReadToEndAsync(ct);
            _ = foreground.StandardOutput.ReadToEndAsync(ct);
            // Before the fix it runs on (with four more workers); the sandbox's teardown stops it then.
            await Poll.Until(() => foreground.HasExited || Workers(sandbox).Count > orphans.Count,
                TimeSpan.FromSeconds(30), "the foreground pmx to refuse, or to start workers", ct);

            await Assert.That(Workers(sandbox)).IsEquivalentTo(orphans);
            await Assert.That(foreground.HasExited).IsTrue();
            await Assert.That(foreground.ExitCode).IsEqualTo(1);
            var said = await stderr;
            foreach (var pid in orphans) await Assert.That(said).Contains($"pid {pid}");
            await Assert.That(said).Contains("run them twice");
        }
    }

    static List<int> Workers(PmxSandbox sandbox) => sandbox.ProcessesOfThisHome()
        .Where(pid => ExecutableOf(pid) == PmxSandbox.TestWorker).Order().ToList();

    static string? ExecutableOf(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/exe").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
