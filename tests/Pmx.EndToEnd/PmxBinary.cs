namespace Pmx.EndToEnd;

/// <summary>Locates the published binaries that every end-to-end test runs.</summary>
public static class PmxBinary
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Path { get; } = System.IO.Path.Combine(RepoRoot, "artifacts", "pmx");
    public static string TestWorker { get; } = System.IO.Path.Combine(RepoRoot, "artifacts", "testworker");

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (no global.json above " + AppContext.BaseDirectory + ")");
    }
}
