using System.Diagnostics;

namespace Pmx.EndToEnd;

public class DaemonLockTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Test, Timeout(60_000)]
    public async Task TwoDaemonsStartedAtTheSameInstantOnOneHomeLeaveExactlyOneServing(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var daemons = new List<Process>();
        try
        {
            // Both are started before either can have bound its socket: only the lock can decide.
            var starts = Enumerable.Range(0, 2).Select(_ => StartDaemon(sandbox)).ToList();
            daemons.AddRange(starts);

            await Poll.Until(() => daemons.Count(d => d.HasExited) == 1, Deadline, "one of the two daemons to give up", ct);
            var loser = daemons.Single(d => d.HasExited);
            var winner = daemons.Single(d => !d.HasExited);
            var loserStderr = await loser.StandardError.ReadToEndAsync(ct);

            await Assert.That(loserStderr).Contains($"a daemon is already running for PMX_HOME={sandbox.Home}");
            await Assert.That(loser.ExitCode).IsEqualTo(0);
            var list = await sandbox.Pmx(ct, "list", "--json");
            await Assert.That(list.ExitCode).IsEqualTo(0);
            await Assert.That(int.Parse(await File.ReadAllTextAsync(Path.Combine(sandbox.Home, "daemon.pid"), ct))).IsEqualTo(winner.Id);
            await Assert.That(winner.HasExited).IsFalse();
        }
        finally
        {
            foreach (var daemon in daemons)
            {
                if (!daemon.HasExited) daemon.Kill();
                daemon.Dispose();
            }
        }
    }

    [Test, Timeout(60_000)]
    public async Task TwoUpsThatBothFindNoDaemonBothLandInOneDaemon(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var first = sandbox.WriteConfig(App("first"), "first.toml");
        var second = sandbox.WriteConfig(App("second"), "second.toml");

        var results = await Task.WhenAll(sandbox.Pmx(ct, "up", "-c", first), sandbox.Pmx(ct, "up", "-c", second));

        await Assert.That(results[0].ExitCode).IsEqualTo(0).Because(results[0].Stdout + results[0].Stderr);
        await Assert.That(results[1].ExitCode).IsEqualTo(0).Because(results[1].Stdout + results[1].Stderr);
        await Poll.Until(() => DaemonsOf(sandbox).Count == 1, Deadline, "the daemon that lost the lock to exit", ct);
        var names = (await sandbox.List(ct)).Select(i => i.Name).Order().ToList();
        await Assert.That(string.Join(",", names)).IsEqualTo("first,second");
    }

    static string App(string name) => $"""
        [[apps]]
        name = "{name}"
        script = "{PmxSandbox.TestWorker}"
        """;

    static Process StartDaemon(PmxSandbox sandbox)
    {
        var start = new ProcessStartInfo(PmxBinary.Path, "daemon")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = sandbox.WorkDir,
        };
        foreach (var (name, value) in sandbox.Env) start.Environment[name] = value;
        var process = Process.Start(start)!;
        // Drained in the background so a chatty daemon never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    static List<int> DaemonsOf(PmxSandbox sandbox) =>
        sandbox.ProcessesOfThisHome().Where(pid =>
        {
            try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains("daemon"); }
            catch (IOException) { return false; }
        }).ToList();
}
