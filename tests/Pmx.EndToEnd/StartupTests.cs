using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>`pmx startup systemd` run as an admin would: under sudo, and with hostile PMX_HOME values.</summary>
public class StartupTests
{
    static Task<RunResult> Startup(PmxSandbox sandbox, CancellationToken ct, Dictionary<string, string> env, params string[] extra)
    {
        var all = sandbox.Env;
        foreach (var (key, value) in env) all[key] = value;
        return PmxRun.Run(["startup", "systemd", .. extra], ct, all, sandbox.WorkDir);
    }

    [Test, Timeout(30_000)]
    public async Task StartupPrintsASystemdUnitThatSystemdAnalyzeAccepts(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var startup = await sandbox.PmxOk(ct, "startup", "systemd");
        await Assert.That(startup.Stdout).Contains("Type=notify");
        await Assert.That(startup.Stdout).Contains($"ExecStart={PmxBinary.Path} resurrect --no-daemon");
        await Assert.That(await SystemdAnalyzeVerify(sandbox, startup.Stdout, ct)).IsEqualTo("");
    }

    [Test, Timeout(30_000)]
    public async Task UnstartupWithNoUnitInstalledSaysThereIsNothingToRemove(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        // The unit is per user (pmx-USER.service); this test's user has none unless one was installed here.
        var unstartup = await sandbox.PmxOk(ct, "unstartup");
        await Assert.That(unstartup.Stdout).Matches(@"^(nothing to remove: /etc/systemd/system/pmx-[^ ]+\.service does not exist|to stop pmx starting at boot)");
    }

    [Test, Timeout(30_000)]
    public async Task WithSudoUserSetTheUnitNeverRunsAsRoot(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var startup = await Startup(sandbox, ct, new() { ["SUDO_USER"] = "nobody" });
        await Assert.That(startup.ExitCode).IsEqualTo(0).Because(startup.Stderr);
        var lines = startup.Stdout.Split('\n');
        await Assert.That(lines.Where(l => l.StartsWith("User=", StringComparison.Ordinal)).ToArray()).IsEquivalentTo(["User=nobody"]);
        await Assert.That(lines).Contains($"Environment=PMX_HOME={sandbox.Home}");
        await Assert.That(await SystemdAnalyzeVerify(sandbox, startup.Stdout, ct)).IsEqualTo("");
    }

    [Test, Timeout(30_000)]
    public async Task AskingForRootUnderSudoExitsTwo(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var startup = await Startup(sandbox, ct, new() { ["SUDO_USER"] = "nobody" }, "-u", "root");
        await Assert.That(startup.ExitCode).IsEqualTo(2);
        await Assert.That(startup.Stdout).IsEqualTo("");
        await Assert.That(startup.Stderr).StartsWith("pmx: refusing to write a unit that runs as root from 'sudo' (SUDO_USER=nobody)");
    }

    [Test, Timeout(30_000)]
    public async Task ANewlineInPmxHomeNeverBecomesAUnitLine(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var startup = await Startup(sandbox, ct, new() { ["PMX_HOME"] = sandbox.Home + "/x\nExecStartPre=/bin/sh -c id" });
        await Assert.That(startup.ExitCode).IsEqualTo(2);
        await Assert.That(startup.Stdout).IsEqualTo("");
        await Assert.That(startup.Stderr).Contains("contains a control character (U+000A)");
        await Assert.That(startup.Stderr).DoesNotContain("\nExecStartPre");
    }

    [Test, Timeout(30_000)]
    public async Task APmxHomeWithSpacesPercentAndQuotesIsQuotedSoSystemdAcceptsIt(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var home = Path.Combine(sandbox.Home, "my \"apps\" 100% $HOME");
        var startup = await Startup(sandbox, ct, new() { ["PMX_HOME"] = home });
        await Assert.That(startup.ExitCode).IsEqualTo(0).Because(startup.Stderr);
        await Assert.That(startup.Stdout.Split('\n')).Contains($"Environment=\"PMX_HOME={sandbox.Home}/my \\\"apps\\\" 100%% $HOME\"");
        await Assert.That(await SystemdAnalyzeVerify(sandbox, startup.Stdout, ct)).IsEqualTo("");
    }

    [Test, Timeout(30_000)]
    public async Task ARootUnitWithAPmxHomeOthersCanWriteExitsTwo(CancellationToken ct)
    {
        if (Environment.UserName != "root") return; // only root's own unit runs as root
        await using var sandbox = new PmxSandbox();
        var open = Directory.CreateDirectory(Path.Combine(sandbox.Home, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        var startup = await Startup(sandbox, ct, new() { ["PMX_HOME"] = Path.Combine(open, ".pmx") });
        await Assert.That(startup.ExitCode).IsEqualTo(2);
        await Assert.That(startup.Stdout).IsEqualTo("");
        await Assert.That(startup.Stderr).StartsWith($"pmx: refusing to write a unit that runs as root: it would resurrect the dump in PMX_HOME={open}/.pmx, and {open} is writable by users other than root (mode 777).");
    }

    /// <summary>systemd's own parser on the unit; its complaints, or "" when it has none.</summary>
    static async Task<string> SystemdAnalyzeVerify(PmxSandbox sandbox, string unitText, CancellationToken ct)
    {
        var unit = Path.Combine(sandbox.WorkDir, "pmx-test.service");
        await File.WriteAllTextAsync(unit, unitText, ct);
        using var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", unit])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var problems = await verify.StandardError.ReadToEndAsync(ct);
        await verify.WaitForExitAsync(ct);
        return verify.ExitCode == 0 ? "" : problems;
    }
}
