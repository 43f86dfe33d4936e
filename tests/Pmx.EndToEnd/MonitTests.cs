using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>
/// `pmx monit` in a real terminal: tmux gives it a 120x30 pty we can read (capture-pane) and type
/// into (send-keys), so these tests see what a user sees.
/// </summary>
public class MonitTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Test, Timeout(60_000)]
    public async Task MonitShowsTheAppAndItsLogThenQuitsOnQAndRestoresTheScreen(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "ticker", "--", "--lines", "5");
        await using var monit = await MonitInTmux.Start(sandbox, ct);

        await monit.WaitForScreen(s => s.Contains("ticker#0") && s.Contains("online") && s.Contains("line 5"), "the app row and its log line 'line 5'", ct);
        await Assert.That(await monit.Screen(ct)).Contains("q quit");

        await monit.SendKeys(ct, "q");
        await monit.WaitForScreen(s => s.Contains(MonitInTmux.ExitedMarker), "monit to exit after q", ct);
        await Poll.Until(() => !monit.IsMonitAlive, Deadline, "the pmx monit process to be gone", ct);
        var screen = await monit.Screen(ct);
        await Assert.That(screen).Contains(MonitInTmux.ExitedMarker + "0");
        await Assert.That(screen).DoesNotContain("q quit");
        await Assert.That(screen).DoesNotContain("ticker#0");
    }

    [Test, Timeout(60_000)]
    public async Task MonitSaysSoWhenTheDaemonGoesAwayAndStillQuitsOnCtrlC(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "ticker");
        await using var monit = await MonitInTmux.Start(sandbox, ct);
        await monit.WaitForScreen(s => s.Contains("ticker#0"), "the app row", ct);

        await sandbox.PmxOk(ct, "kill");
        await monit.WaitForScreen(s => s.Contains("no daemon running") && !s.Contains("ticker#0"), "the view to say the daemon is gone", ct);
        await Assert.That(monit.IsMonitAlive).IsTrue();

        await monit.SendKeys(ct, "C-c");
        await monit.WaitForScreen(s => s.Contains(MonitInTmux.ExitedMarker), "monit to exit after Ctrl-C", ct);
        await Assert.That(await monit.Screen(ct)).Contains(MonitInTmux.ExitedMarker + "0");
    }

    [Test, Timeout(60_000)]
    public async Task MonitIntoAPipePrintsOnePlainTableAndExits(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "ticker");
        var env = new Dictionary<string, string>(sandbox.Env);
        env.Remove("NO_COLOR"); // escape codes must stay out because stdout is a pipe, not because of NO_COLOR

        var result = await PmxRun.Run(["monit"], ct, env, sandbox.WorkDir);

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).StartsWith("NAME ");
        await Assert.That(result.Stdout).Contains("ticker");
        await Assert.That(result.Stdout).DoesNotContain("\u001b[");
    }

    /// <summary>
    /// `pmx monit` as the command of a detached tmux session on a tmux server of its own, so
    /// nothing is shared with other tests or the user's tmux. After monit the shell prints its exit
    /// code and lingers, so the pane (the main screen monit returned to) can still be read.
    /// Disposing kills the tmux server and with it everything in the pane.
    /// </summary>
    sealed class MonitInTmux : IAsyncDisposable
    {
        public const string ExitedMarker = "monit exited with ";
        const string Session = "monit";
        readonly string _server = "pmx-e2e-" + Guid.NewGuid().ToString("N")[..12];
        int _monitPid;

        public static async Task<MonitInTmux> Start(PmxSandbox sandbox, CancellationToken ct)
        {
            var monit = new MonitInTmux();
            var command = $"env PMX_HOME='{sandbox.Home}' NO_COLOR=1 '{PmxBinary.Path}' monit; echo \"{ExitedMarker}$?\"; sleep 600";
            try
            {
                await monit.Tmux(ct, "new-session", "-d", "-s", Session, "-x", "120", "-y", "30", command);
                var shellPid = int.Parse((await monit.Tmux(ct, "list-panes", "-t", Session, "-F", "#{pane_pid}")).Trim());
                await Poll.Until(() => (monit._monitPid = ChildOf(shellPid)) != 0, Deadline, "pmx monit to start in the tmux pane", ct);
                return monit;
            }
            catch
            {
                await monit.DisposeAsync(); // the caller never gets the tmux server to stop
                throw;
            }
        }

        /// <summary>The monit process exists and is not a zombie waiting for the shell to reap it.</summary>
        public bool IsMonitAlive
        {
            get
            {
                try { return !File.ReadAllText($"/proc/{_monitPid}/stat").Contains(") Z ", StringComparison.Ordinal); }
                catch (IOException) { return false; }
            }
        }

        public Task<string> Screen(CancellationToken ct) => Tmux(ct, "capture-pane", "-p", "-t", Session);

        public Task SendKeys(CancellationToken ct, params string[] keys) => Tmux(ct, ["send-keys", "-t", Session, .. keys]);

        public async Task WaitForScreen(Func<string, bool> condition, string what, CancellationToken ct)
        {
            var last = "";
            try
            {
                await Poll.Until(async () => condition(last = await Screen(ct)), Deadline, what, ct);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}; the pane shows:\n{last}", e);
            }
        }

        static int ChildOf(int pid)
        {
            try
            {
                var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return children.Length > 0 ? int.Parse(children[0]) : 0;
            }
            catch (IOException) { return 0; }
        }

        async Task<string> Tmux(CancellationToken ct, params string[] args)
        {
            var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-L");
            psi.ArgumentList.Add(_server);
            foreach (var arg in args) psi.ArgumentList.Add(arg);
            using var tmux = Process.Start(psi)!;
            var stdout = tmux.StandardOutput.ReadToEndAsync(ct);
            var stderr = tmux.StandardError.ReadToEndAsync(ct);
            await tmux.WaitForExitAsync(ct);
            if (tmux.ExitCode != 0)
                throw new InvalidOperationException($"tmux {string.Join(' ', args)} exited {tmux.ExitCode}: {await stderr}");
            return await stdout;
        }

        public async ValueTask DisposeAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await Tmux(cts.Token, "kill-server"); }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
            // A monit that outlived its pty (it should exit on SIGHUP) must not outlive the test.
            if (_monitPid != 0 && IsMonitAlive)
                try { Process.GetProcessById(_monitPid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }
}
