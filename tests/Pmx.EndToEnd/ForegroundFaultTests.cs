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
        await using var pmx = ForegroundPmx.Start(sandbox, PmxBinary.Path, ["up", "--no-daemon", "-c", config], ct);

        await Poll.Until(async () => (await sandbox.List(ct)) is var rows
                && rows.Any(r => r is { Name: "broken", Status: "errored" }) && rows.Any(r => r is { Name: "healthy", Status: "online" }),
            TimeSpan.FromSeconds(30), "broken errored while healthy stays online", ct);
        await Assert.That(pmx.Process.HasExited).IsFalse();
        await pmx.TerminateAsync(ct);

        await Assert.That(pmx.Process.ExitCode).IsEqualTo(1);
    }
}
