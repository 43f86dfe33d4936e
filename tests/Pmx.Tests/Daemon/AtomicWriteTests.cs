using Pmx.Daemon;

namespace Pmx.Tests.Daemon;

/// <summary>DumpFile.WriteAtomically: readers see the old file or the new one, whole, whoever writes at once.</summary>
public class AtomicWriteTests
{
    [Test, Timeout(60_000)]
    public async Task ConcurrentWritersEachLeaveAWholeFileAndNoTempFilesBehind(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("pmx-atomic-");
        try
        {
            var path = Path.Combine(folder.FullName, "dump.toml");
            var contents = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 200_000)).ToList();
            var writers = contents.Select(content => Task.Run(() =>
            {
                for (var round = 0; round < 5; round++) DumpFile.WriteAtomically(path, content);
            }, ct));
            await Task.WhenAll(writers);

            await Assert.That(contents).Contains(await File.ReadAllTextAsync(path, ct));
            await Assert.That(string.Join(", ", Directory.GetFiles(folder.FullName).Select(Path.GetFileName))).IsEqualTo("dump.toml");
            await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally { folder.Delete(recursive: true); }
    }
}
