using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>Issue 11, defect 5: in the foreground a broken app neither takes healthy ones down nor hides in the exit code.</summary>
public class ForegroundFaultTests
{
    [Test, Timeout(90_000)]
    public async Task ACrashLoopingAppBesideAHealthyOneLeavesItOnlineAndSigtermExitsOne(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var config = sandbox.WriteConfig($"""
            [[apps]]
            name = "healthy"
            script = "{PmxSandbox.TestWorker}"

            [[apps]]
            name = "broken"
            script = "{PmxSandbox.TestWorker}"
            args = ["--exit", "3"]
            max_restarts = 3
            """);
        var start = new ProcessStartInfo(PmxBinary.Path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "up", "--no-daemon", "-c", config }) start.ArgumentList.Add(arg);
        foreach (var (key, value) in sandbox.Env) start.Environment[key] = value;
        using var pmx = Process.Start(start)!;
        var output = pmx.StandardOutput.ReadToEndAsync(ct);
        var errors = pmx.StandardError.ReadToEndAsync(ct);
        try
        {
            await Poll.Until(async () => (await sandbox.List(ct)) is var rows
                    && rows.Any(r => r is { Name: "broken", Status: "errored" }) && rows.Any(r => r is { Name: "healthy", Status: "online" }),
                TimeSpan.FromSeconds(30), "broken errored while healthy stays online", ct);
            await Assert.That(pmx.HasExited).IsFalse();
            using (var term = Process.Start("kill", ["-TERM", pmx.Id.ToString()])) await term.WaitForExitAsync(ct);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            await pmx.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!pmx.HasExited) pmx.Kill(entireProcessTree: true);
            Console.WriteLine(await output);
            Console.WriteLine(await errors);
        }
        await Assert.That(pmx.ExitCode).IsEqualTo(1);
    }
}
