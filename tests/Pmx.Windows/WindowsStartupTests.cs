namespace Pmx.Windows;

/// <summary>
/// `pmx startup` on Windows: a logon entry in HKCU's Run key that resurrects the saved apps, and
/// `pmx unstartup` removing it. The class has its own prefix copy, so its registry is its own;
/// Wine's wineboot runs the Run entries as Windows does at logon.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(WindowsStartupTests))]
public sealed class WindowsStartupTests(WinePrefix prefix)
{
    const string RunKey = @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Before(Test)]
    public void NeedsWine() => WindowsTestWorker.SkipUnlessReady(prefix);

    [Test, Timeout(300_000)]
    public async Task TheLogonEntryResurrectsTheSavedAppsAndUnstartupRemovesIt(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var entryName = $"pmx {WinePmx.WindowsPath(home.Path)}";
        try
        {
            var printed = await home.Pmx(ct, "startup");
            await Assert.That(printed.ExitCode).IsEqualTo(0).Because(printed.Stderr);
            await Assert.That(printed.Stdout).Contains($@"{RunKey}\{entryName} = cmd.exe /d /c set ""PMX_HOME={WinePmx.WindowsPath(home.Path)}""&&");
            await Assert.That(await RunEntries(ct)).DoesNotContain(entryName).Because("printing installs nothing");

            var start = await home.Pmx(ct, "start", WinePmx.WindowsPath(WindowsTestWorker.Exe), "--name", "nap");
            await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stderr + home.DaemonLog);
            await Assert.That((await home.Pmx(ct, "save")).ExitCode).IsEqualTo(0);
            var install = await home.Pmx(ct, "startup", "--install");
            await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.Stderr);
            await Assert.That(await RunEntries(ct)).Contains(entryName);
            var kill = await home.Pmx(ct, "kill");
            await Assert.That(kill.ExitCode).IsEqualTo(0).Because(kill.Stderr);
            var pidFile = Path.Combine(home.Path, "daemon.pid");
            await Poll.Until(() => !File.Exists(pidFile), Deadline, "the killed daemon's pid file to go", ct);

            // A logon: wineboot runs HKCU's Run entries. No pmx command runs until the daemon is
            // back, so it is the entry that started it.
            var logon = await WinePmx.RunTool("sh", ["-c", "exec </dev/null >/dev/null 2>&1; wine wineboot"], prefix, Deadline, ct);
            await Assert.That(logon.ExitCode).IsEqualTo(0);
            await Poll.Until(() => File.Exists(pidFile), Deadline, "the logon entry's `pmx resurrect` to start a daemon", ct);
            await Poll.Until(async () => await WinePmx.OnlineCount(args => home.Pmx(ct, args)) == 1, Deadline, "nap online again", ct);

            var remove = await home.Pmx(ct, "unstartup");
            await Assert.That(remove.ExitCode).IsEqualTo(0).Because(remove.Stderr);
            await Assert.That(remove.Stdout).Contains("removed");
            await Assert.That(await RunEntries(ct)).DoesNotContain(entryName);
            var again = await home.Pmx(ct, "unstartup");
            await Assert.That(again.Stdout).Contains("nothing to remove");
            await Assert.That(await WinePmx.OnlineCount(args => home.Pmx(ct, args))).IsEqualTo(1).Because("unstartup leaves the running apps alone");
        }
        finally
        {
            // Never leave an entry a later wineboot of this prefix would run.
            await WinePmx.RunTool("wine", ["reg", "delete", RunKey, "/v", entryName, "/f"], prefix, Deadline, CancellationToken.None);
        }
    }

    [Test, Timeout(180_000)]
    public async Task SystemdOrAnotherUsersHomeIsAUsageErrorOnWindows(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);

        var systemd = await home.Pmx(ct, "startup", "systemd");
        var otherUser = await home.Pmx(ct, "startup", "-u", "bob");

        await Assert.That(systemd.ExitCode).IsEqualTo(2);
        await Assert.That(systemd.Stderr).Contains("logon entry");
        await Assert.That(otherUser.ExitCode).IsEqualTo(2);
        await Assert.That(otherUser.Stderr).Contains("current user");
    }

    async Task<string> RunEntries(CancellationToken ct)
    {
        var query = await WinePmx.RunTool("wine", ["reg", "query", RunKey], prefix, Deadline, ct);
        return query.Stdout.Replace("\r", "");
    }
}
