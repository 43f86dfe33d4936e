namespace Pmx.EndToEnd;

/// <summary>PM2's numeric targets: the id `pmx list` shows names an app on the command line.</summary>
public class NumericIdTests
{
    [Test, Timeout(60_000)]
    public async Task RestartWithAnIdFromListRestartsThatAppAndLeavesTheOthersAlone(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "first");
        await sandbox.PmxOk(ct, "start", PmxSandbox.TestWorker, "--name", "second", "-i", "2");
        var before = await sandbox.List(ct);
        var ids = before.Select(r => r.Id).ToList();
        await Assert.That(ids.Distinct().Count()).IsEqualTo(3);
        var secondId = before.First(r => r.Name == "second" && r.Instance == 1).Id;
        var table = await sandbox.PmxOk(ct, "list");
        await Assert.That(table.Stdout).Contains($"second  {secondId} ");

        var restart = await sandbox.PmxOk(ct, "restart", secondId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var after = await sandbox.List(ct);
        await Assert.That(restart.Stdout).Contains("second restarted");
        await Assert.That(after.Where(r => r.Name == "second").All(r => r.Restarts == 1 && r.Status == "online")).IsTrue();
        await Assert.That(after.Single(r => r.Name == "first").Pid).IsEqualTo(before.Single(r => r.Name == "first").Pid);
        await Assert.That(after.Select(r => r.Id)).IsEquivalentTo(ids, CollectionOrdering.Matching);
        var unknown = await sandbox.Pmx(ct, "stop", "99");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.Stderr).Contains("no app named '99'");
    }
}
