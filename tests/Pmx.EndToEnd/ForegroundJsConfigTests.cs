using System.Diagnostics;

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
        var start = new ProcessStartInfo("perl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = sandbox.WorkDir };
        foreach (var arg in new[] { "-e", "$SIG{CHLD} = 'IGNORE'; exec @ARGV or die $!", PmxBinary.Path, "up", "--no-daemon", "-c", config })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in sandbox.Env) start.Environment[key] = value;
        using var pmx = Process.Start(start)!;
        var output = pmx.StandardOutput.ReadToEndAsync(ct);
        var errors = pmx.StandardError.ReadToEndAsync(ct);
        try
        {
            ListedInstance? first = null, second = null;
            await Poll.Until(async () => (first = (await sandbox.List(ct)).SingleOrDefault(r => r is { Name: "nap", Status: "online" })) is not null,
                TimeSpan.FromSeconds(30), "nap online", ct);
            using (var kill = Process.Start("kill", ["-KILL", first!.Pid.ToString()])) await kill.WaitForExitAsync(ct);
            await Poll.Until(async () => (second = (await sandbox.List(ct)).SingleOrDefault(r => r is { Name: "nap", Status: "online" } && r.Pid != first.Pid)) is not null,
                TimeSpan.FromSeconds(30), "nap restarted with a new pid", ct);
            await Assert.That(second!.Restarts).IsEqualTo(1);
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
    }
}
