using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>`pmx up --no-daemon` as a container's PID 1: reaps orphans, stops gracefully on SIGTERM.</summary>
public class ForegroundModeTests
{
    [Test, Timeout(120_000)]
    public async Task AsPid1ItReapsOrphanedGrandchildrenAndExitsZeroOnSigterm(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var config = sandbox.WriteConfig($"""
            [[apps]]
            name = "orphaner"
            script = "{PmxSandbox.TestWorker}"
            args = ["--spawn-orphan", "5s"]
            instances = 2
            """);
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--fork", "--pid", "--mount-proc", PmxBinary.Path, "up", "--no-daemon", "-c", config })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in sandbox.Env) start.Environment[key] = value;
        using var unshare = Process.Start(start)!;
        var output = unshare.StandardOutput.ReadToEndAsync(ct);
        var errors = unshare.StandardError.ReadToEndAsync(ct);
        try
        {
            // Deadlines, not timings: under load a start may take long. The orphans live 5 s, so the
            // scan below sees them even when `list` answers late.
            await Poll.Until(async () => (await sandbox.List(ct)).Count(r => r.Status == "online") == 2,
                TimeSpan.FromSeconds(30), "both workers online, seen through the control socket", ct);
            var orphans = new List<int>();
            await Poll.Until(() =>
            {
                orphans = sandbox.ProcessesOfThisHome().Where(pid => Comm(pid) == "sleep").ToList();
                return orphans.Count == 2;
            }, TimeSpan.FromSeconds(20), "the two orphaned sleeps", ct);
            // A reaped process leaves /proc; a zombie would stay there.
            await Poll.Until(() => orphans.All(pid => !Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(30),
                "the orphans to exit and be reaped (no zombie left)", ct);

            var pid1 = sandbox.ProcessesOfThisHome().Single(pid => Comm(pid) == "pmx" && ParentOf(pid) == unshare.Id);
            using (var term = Process.Start("kill", ["-TERM", pid1.ToString()])) await term.WaitForExitAsync(ct);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            await unshare.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!unshare.HasExited) unshare.Kill(entireProcessTree: true);
            Console.WriteLine(await output);
            Console.WriteLine(await errors);
        }
        await Assert.That(unshare.ExitCode).IsEqualTo(0);
        await Assert.That(sandbox.ProcessesOfThisHome().Any()).IsFalse();
    }

    static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return int.Parse(line["PPid:".Length..].Trim());
        }
        catch (IOException) { return 0; }
    }
}
