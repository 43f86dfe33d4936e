namespace Pmx.EndToEnd;

/// <summary>
/// `up --no-daemon` with a JavaScript config evaluates it with node from the very process that then
/// supervises. Started with SIGCHLD ignored (some init systems and shells leave it so), that process
/// must still see its workers' exits: nothing it starts before supervising may take them first.
/// </summary>
public class ForegroundJsConfigTests
{
    [Test, Timeout(90_000)]
    public async Task StartedWithSigchldIgnoredAForegroundPmxOnAJsConfigStillSeesAKilledWorkerAndRestartsIt(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var config = Path.Combine(sandbox.WorkDir, "ecosystem.config.js");
        await File.WriteAllTextAsync(config, $$"""
            module.exports = { apps: [{ name: 'nap', script: '{{PmxSandbox.TestWorker}}', interpreter: 'none' }] };
            """, ct);
        // perl leaves SIGCHLD ignored across exec, as the kernel passes SIG_IGN on to the new program.
        await using var pmx = ForegroundPmx.Start(sandbox, "perl",
            ["-e", "$SIG{CHLD} = 'IGNORE'; exec @ARGV or die $!", PmxBinary.Path, "up", "--no-daemon", "-c", config], ct);

        ListedInstance? first = null, second = null;
        await Poll.Until(async () => (first = (await sandbox.List(ct)).SingleOrDefault(r => r is { Name: "nap", Status: "online" })) is not null,
            TimeSpan.FromSeconds(30), "nap online", ct);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", first!.Pid.ToString()])) await kill.WaitForExitAsync(ct);
        await Poll.Until(async () => (second = (await sandbox.List(ct)).SingleOrDefault(r => r is { Name: "nap", Status: "online" } && r.Pid != first.Pid)) is not null,
            TimeSpan.FromSeconds(30), "nap restarted with a new pid", ct);
        await Assert.That(second!.Restarts).IsEqualTo(1);
        await pmx.TerminateAsync(ct);
    }
}
