namespace Pmx.EndToEnd;

/// <summary>Issue 10/11: what `pmx up` compares is what the config decides, never the caller's shell.</summary>
public class EnvironmentTests
{
    [Test, Timeout(60_000)]
    public async Task ASecondUpFromAShellWithAnotherEnvironmentKeepsEveryPid(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "api"
            script = "{PmxSandbox.TestWorker}"
            instances = 2
            """);
        await sandbox.PmxOk(ct, "up");
        var before = (await sandbox.List(ct)).Select(r => r.Pid).ToList();
        var env = new Dictionary<string, string>(sandbox.Env) { ["SOME_SHELL_VARIABLE"] = "different" };
        var second = await PmxRun.Run(["up"], ct, env, sandbox.WorkDir);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.Stdout + second.Stderr);
        var after = (await sandbox.List(ct)).Select(r => r.Pid).ToList();
        await Assert.That(string.Join(',', after)).IsEqualTo(string.Join(',', before));
    }

    [Test, Timeout(60_000)]
    public async Task UpWithUpdateEnvGivesTheAppTheNewEnvironment(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "api"
            script = "{PmxSandbox.TestWorker}"
            """);
        await sandbox.PmxOk(ct, "up");
        var before = (await sandbox.List(ct)).Single().Pid;
        var env = new Dictionary<string, string>(sandbox.Env) { ["SOME_SHELL_VARIABLE"] = "different" };
        var second = await PmxRun.Run(["up", "--update-env"], ct, env, sandbox.WorkDir);
        await Assert.That(second.ExitCode).IsEqualTo(0).Because(second.Stdout + second.Stderr);
        var after = (await sandbox.List(ct)).Single().Pid;
        await Assert.That(after).IsNotEqualTo(before);
        var environ = await File.ReadAllTextAsync($"/proc/{after}/environ", ct);
        await Assert.That(environ).Contains("SOME_SHELL_VARIABLE=different");
    }
}
