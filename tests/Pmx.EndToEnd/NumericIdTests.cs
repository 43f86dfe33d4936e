using System.Globalization;

namespace Pmx.EndToEnd;

/// <summary>PM2's numeric targets: the id `pmx list` shows names one process on the command line.</summary>
public class NumericIdTests
{
    static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    [Test, Timeout(90_000)]
    public async Task RestartWithAnIdFromListRestartsThatProcessOnlyAndKeepsEveryId(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "first");
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "second", "-i", "2");
        var before = await sandbox.List(ct);
        var ids = before.Select(r => r.Id).ToList();
        await Assert.That(ids.Distinct().Count()).IsEqualTo(3);
        var secondOne = before.Single(r => r.Name == "second" && r.Instance == 1);
        var secondZero = before.Single(r => r.Name == "second" && r.Instance == 0);
        var table = await sandbox.PmxOk(ct, "list");
        await Assert.That(table.Stdout).Contains($"second  {secondOne.Id} ");

        var restart = await sandbox.PmxOk(ct, "restart", Text(secondOne.Id));

        var after = await sandbox.List(ct);
        await Assert.That(restart.Stdout).Contains("second#1 restarted");
        var restarted = after.Single(r => r.Id == secondOne.Id);
        await Assert.That(restarted.Restarts).IsEqualTo(1);
        await Assert.That(restarted.Status).IsEqualTo("online");
        await Assert.That(restarted.Pid).IsNotEqualTo(secondOne.Pid);
        await Assert.That(after.Single(r => r.Id == secondZero.Id).Pid).IsEqualTo(secondZero.Pid);
        await Assert.That(after.Single(r => r.Name == "first").Pid).IsEqualTo(before.Single(r => r.Name == "first").Pid);
        await Assert.That(after.Select(r => r.Id)).IsEquivalentTo(ids, CollectionOrdering.Matching);
        var unknown = await sandbox.Pmx(ct, "stop", "99");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.Stderr).Contains("no app named '99' and no process with that id");
    }

    [Test, Timeout(90_000)]
    public async Task IdsAndNamesMixInOneCommandAndEachIdStopsStartsAndReloadsItsOwnProcess(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "first");
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "web", "-i", "3");
        var before = await sandbox.List(ct);
        var web1 = before.Single(r => r.Name == "web" && r.Instance == 1);
        var web2 = before.Single(r => r.Name == "web" && r.Instance == 2);

        var stop = await sandbox.PmxOk(ct, "stop", Text(web1.Id), "first", Text(web2.Id));

        var stopped = await sandbox.List(ct);
        await Assert.That(stop.Stdout).Contains("web#1 stopped");
        await Assert.That(stop.Stdout).Contains("first stopped");
        await Assert.That(stopped.Where(r => r.Status == "stopped").Select(r => $"{r.Name}#{r.Instance}").Order())
            .IsEquivalentTo(["first#0", "web#1", "web#2"], CollectionOrdering.Matching);
        await Assert.That(stopped.Single(r => r.Name == "web" && r.Instance == 0).Status).IsEqualTo("online");

        await sandbox.PmxOk(ct, "start", Text(web2.Id));
        var started = await sandbox.List(ct);
        await Assert.That(started.Single(r => r.Id == web2.Id).Status).IsEqualTo("online");
        await Assert.That(started.Single(r => r.Id == web1.Id).Status).IsEqualTo("stopped");

        var web0 = started.Single(r => r.Name == "web" && r.Instance == 0);
        var reload = await sandbox.PmxOk(ct, "reload", Text(web0.Id));
        var reloaded = await sandbox.List(ct);
        await Assert.That(reload.Stdout).Contains("web#0 reloaded");
        await Assert.That(reloaded.Single(r => r.Id == web0.Id).Pid).IsNotEqualTo(web0.Pid);
        await Assert.That(reloaded.Single(r => r.Id == web2.Id).Pid).IsEqualTo(started.Single(r => r.Id == web2.Id).Pid);
        await Assert.That(reloaded.Select(r => r.Id)).IsEquivalentTo(before.Select(r => r.Id), CollectionOrdering.Matching);

        var describe = await sandbox.PmxOk(ct, "describe", Text(web2.Id));
        await Assert.That(describe.Stdout).Contains("web#2");
        await Assert.That(describe.Stdout).DoesNotContain("web#0");
        var logs = await sandbox.PmxOk(ct, "logs", Text(web2.Id), "--nostream");
        await Assert.That(logs.Stdout).Contains("==> web#2 (");
        await Assert.That(logs.Stdout).DoesNotContain("==> web#0 (");
    }

    [Test, Timeout(90_000)]
    public async Task DeleteOfOneInstanceOfSeveralIsRefusedWithTheAlternativesAndOfASingleInstanceAppDeletesIt(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "solo");
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "web", "-i", "2");
        var before = await sandbox.List(ct);
        var web1 = before.Single(r => r.Name == "web" && r.Instance == 1);

        var refused = await sandbox.Pmx(ct, "delete", Text(web1.Id));
        await sandbox.PmxOk(ct, "delete", Text(before.Single(r => r.Name == "solo").Id));

        var after = await sandbox.List(ct);
        await Assert.That(refused.ExitCode).IsEqualTo(1);
        await Assert.That(refused.Stderr).Contains("pmx scale web -1");
        await Assert.That(after.Select(r => $"{r.Name}#{r.Instance}={r.Status}")).IsEquivalentTo(["web#0=online", "web#1=online"], CollectionOrdering.Matching);
    }
}
