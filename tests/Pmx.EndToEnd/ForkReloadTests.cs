namespace Pmx.EndToEnd;

/// <summary>Issue 10: a fork-mode app that binds its own port reloads by stop-then-start, and says so.</summary>
public class ForkReloadTests
{
    [Test, Timeout(60_000)]
    public async Task AForkModeAppBindingItsOwnPortIsStoppedThenStartedAndAnswersAfterwards(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var port = PmxSandbox.FreePort();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "solo"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--port", "{port}"]
            """);
        await sandbox.PmxOk(ct, "up");
        var before = (await sandbox.List(ct)).Single().Pid;
        var reload = await sandbox.Pmx(ct, "reload", "solo");
        await Assert.That(reload.ExitCode).IsEqualTo(0).Because(reload.Stdout + reload.Stderr);
        await Assert.That(reload.Stdout + reload.Stderr).Contains("fork mode: stopped then started");
        var row = (await sandbox.List(ct)).Single();
        await Assert.That(row.Status).IsEqualTo("online");
        await Assert.That(row.Pid).IsNotEqualTo(before);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.Until(async () =>
        {
            try { return (await http.GetAsync($"http://127.0.0.1:{port}/", ct)).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(10), "the reloaded app answering", ct);
    }
}
