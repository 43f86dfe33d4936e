using Pmx.Logs;

namespace Pmx.Tests.Logs;

/// <summary>The files a watcher must not take for the user's: process-wide, so every test uses its own paths.</summary>
public class OpenLogFilesTests
{
    static string UniquePath(string name) => Path.Combine("/tmp", "open-log-files-" + Guid.NewGuid().ToString("N"), name);

    [Test]
    public async Task AFileClosedByARestartIsStillPmxsUntilTheNextWorkerOpensIt()
    {
        // Fork-mode reload: the old worker's file is closed, its last lines are reported by inotify
        // after that, and only then does the new worker open the file again.
        var log = UniquePath("app.out.log");
        OpenLogFiles.Add(log);
        OpenLogFiles.Remove(log);

        await Assert.That(OpenLogFiles.IsPmxWritten(log)).IsTrue();
        await Assert.That(OpenLogFiles.IsPmxWritten(log + ".1")).IsTrue();
        await Assert.That(OpenLogFiles.IsPmxWritten(Path.GetDirectoryName(log)!)).IsTrue();
    }

    [Test]
    public async Task AFileClosedLongerThanTheGraceIsTheUsersAgain()
    {
        var log = UniquePath("app.out.log");
        OpenLogFiles.Add(log);
        OpenLogFiles.Remove(log, Environment.TickCount64 - (long)OpenLogFiles.Grace.TotalMilliseconds - 1000);

        await Assert.That(OpenLogFiles.IsPmxWritten(log)).IsFalse();
        await Assert.That(OpenLogFiles.IsPmxWritten(Path.GetDirectoryName(log)!)).IsFalse();
    }

    [Test]
    public async Task AFileOneOfTwoWritersStillHoldsStaysOpenPastTheGrace()
    {
        var log = UniquePath("merged.log");
        OpenLogFiles.Add(log);
        OpenLogFiles.Add(log);
        OpenLogFiles.Remove(log, Environment.TickCount64 - (long)OpenLogFiles.Grace.TotalMilliseconds - 1000);

        await Assert.That(OpenLogFiles.IsPmxWritten(log)).IsTrue();
        OpenLogFiles.Remove(log);
    }

    [Test]
    public async Task AnUnrelatedFileNextToNoLogIsNotPmxs() =>
        await Assert.That(OpenLogFiles.IsPmxWritten(UniquePath("server.js"))).IsFalse();
}
