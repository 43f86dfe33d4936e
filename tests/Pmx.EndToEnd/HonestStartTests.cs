namespace Pmx.EndToEnd;

/// <summary>
/// A start that fails says how: exit 1, each failed instance's exit status and the last line it
/// wrote on stderr, whatever the kind of failure (crash loop, exit with autorestart off, no ready).
/// </summary>
public class HonestStartTests
{
    const string ErrorLine = "Error: cannot read config.json (ENOENT)";

    [Test, Timeout(90_000)]
    public async Task AWorkerThatPrintsAnErrorAndExits3FailsTheStartQuotingItsExitStatusAndTheLine(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var script = Path.Combine(sandbox.WorkDir, "broken.sh");
        await File.WriteAllTextAsync(script, $"echo starting\necho 'a warning first' >&2\necho '{ErrorLine}' >&2\nexit 3\n", ct);
        sandbox.WriteConfig($"""
            [[apps]]
            name = "looping"
            script = "{script}"
            max_restarts = 1
            """);

        var up = await sandbox.Pmx(ct, "up");
        var once = await sandbox.Pmx(ct, "start", script, "--name", "once", "--no-autorestart");

        await Assert.That(up.ExitCode).IsEqualTo(1);
        await Assert.That(up.Stdout + up.Stderr).Contains($"looping#0 crash-looped");
        await Assert.That(up.Stdout + up.Stderr).Contains($"exited 3; it printed: {ErrorLine}");
        await Assert.That(once.ExitCode).IsEqualTo(1);
        await Assert.That(once.Stdout + once.Stderr).Contains($"once#0 exited (exited 3; it printed: {ErrorLine}) and autorestart is off");
    }

    [Test, Timeout(90_000)]
    public async Task AWorkerThatNeverSaysReadyFailsTheStartQuotingTheLastLineItPrinted(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "silent"
            script = "{PmxSandbox.TestWorker}"
            args = ["--never-ready", "--stderr-lines", "2"]
            wait_ready = true
            listen_timeout = 1000
            max_restarts = 1
            """);

        var up = await sandbox.Pmx(ct, "up");

        await Assert.That(up.ExitCode).IsEqualTo(1);
        await Assert.That(up.Stdout + up.Stderr).Contains("silent#0");
        await Assert.That(up.Stdout + up.Stderr).Contains("it printed: line 2");
    }
}
