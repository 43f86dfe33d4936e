namespace Pmx.Tests.Logs;

/// <summary>A PMX_HOME of the test's own, deleted afterwards.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Home = new PmxHome(Directory.CreateTempSubdirectory("pmx-logs-test-").FullName);
        Home.EnsureExists();
    }

    public PmxHome Home { get; }

    public string LogPath(string fileName) => Path.Combine(Home.LogsDirectory, fileName);

    public void Dispose() => Directory.Delete(Home.Root, recursive: true);
}
