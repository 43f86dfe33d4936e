namespace Pmx.Windows;

/// <summary>The test worker built for win-x64 (build.sh's build_windows_test_fixtures), as the lane's classes run it.</summary>
static class WindowsTestWorker
{
    public const string FileName = "testworker.exe";
    public static readonly string Exe = Path.Combine(WinePmx.RepoRoot, "artifacts", "windows-testworker", FileName);

    /// <summary>Skips the test when Wine or the built worker is missing, saying which.</summary>
    public static void SkipUnlessReady(WinePrefix prefix)
    {
        if (prefix.Unavailable is { } why) Skip.Test(why);
        if (!File.Exists(Exe)) Skip.Test($"{Exe} is missing: run ./build.sh windows");
    }
}
