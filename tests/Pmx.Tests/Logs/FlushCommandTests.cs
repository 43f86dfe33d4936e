using Pmx.Cli;

namespace Pmx.Tests.Logs;

/// <summary>`pmx flush NAME` empties that app's files only, even when another app's name starts with it.</summary>
public class FlushCommandTests
{
    [Test]
    public async Task FlushingWebLeavesTheMergedLogsOfAnAppNamedWeb2Alone()
    {
        using var temp = new TempHome();
        foreach (var file in new[] { "web-0-out.log", "web-2-out.log", "web-2-err.log" })
            File.WriteAllText(temp.LogPath(file), $"{file}\n");

        await Assert.That(FlushCommand.Run(temp.Home, "web", TextWriter.Null, TextWriter.Null)).IsEqualTo(0);

        await Assert.That(new FileInfo(temp.LogPath("web-0-out.log")).Length).IsEqualTo(0);
        await Assert.That(File.ReadAllText(temp.LogPath("web-2-out.log"))).IsEqualTo("web-2-out.log\n");
        await Assert.That(File.ReadAllText(temp.LogPath("web-2-err.log"))).IsEqualTo("web-2-err.log\n");
    }

    [Test]
    public async Task WithTheDaemonsAppListAMergedWeb2IsNotWebsThirdInstanceEvenAfterWeb0AndWeb1()
    {
        using var temp = new TempHome();
        foreach (var file in new[] { "web-0-out.log", "web-1-out.log", "web-2-out.log" })
            File.WriteAllText(temp.LogPath(file), $"{file}\n");

        await Assert.That(FlushCommand.Run(temp.Home, "web", TextWriter.Null, TextWriter.Null, knownApps: ["web", "web-2"])).IsEqualTo(0);

        await Assert.That(new FileInfo(temp.LogPath("web-1-out.log")).Length).IsEqualTo(0);
        await Assert.That(File.ReadAllText(temp.LogPath("web-2-out.log"))).IsEqualTo("web-2-out.log\n");
    }

    [Test]
    public async Task InstancesLeftOverFromABiggerScaleAreStillFlushed()
    {
        using var temp = new TempHome();
        foreach (var file in new[] { "web-0-out.log", "web-1-out.log", "web-2-out.log", "web-3-out.log" })
            File.WriteAllText(temp.LogPath(file), $"{file}\n");

        await Assert.That(FlushCommand.Run(temp.Home, "web", TextWriter.Null, TextWriter.Null)).IsEqualTo(0);

        foreach (var file in new[] { "web-0-out.log", "web-1-out.log", "web-2-out.log", "web-3-out.log" })
            await Assert.That(new FileInfo(temp.LogPath(file)).Length).IsEqualTo(0);
    }

    [Test]
    public async Task AnIdFromListFlushesThatInstancesFilesOnly()
    {
        using var temp = new TempHome();
        foreach (var file in new[] { "web-0-out.log", "web-1-out.log", "web-1-err.log" })
            File.WriteAllText(temp.LogPath(file), $"{file}\n");
        Pmx.Control.ProcessInfo[] rows =
        [
            new() { Name = "web", Instance = 0, Id = 4, Status = Pmx.Control.ProcessStatus.Online },
            new() { Name = "web", Instance = 1, Id = 7, Status = Pmx.Control.ProcessStatus.Online },
        ];

        var target = RunningApps.ProcessTarget("7", rows);
        await Assert.That(FlushCommand.Run(temp.Home, target, TextWriter.Null, TextWriter.Null, RunningApps.Names(rows))).IsEqualTo(0);

        await Assert.That(target).IsEqualTo("web#1");
        await Assert.That(new FileInfo(temp.LogPath("web-1-out.log")).Length).IsEqualTo(0);
        await Assert.That(new FileInfo(temp.LogPath("web-1-err.log")).Length).IsEqualTo(0);
        await Assert.That(File.ReadAllText(temp.LogPath("web-0-out.log"))).IsEqualTo("web-0-out.log\n");
    }
}
