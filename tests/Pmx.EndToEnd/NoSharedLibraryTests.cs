namespace Pmx.EndToEnd;

/// <summary>
/// The static pmx must never load a shared library: a second, shared glibc mapped next to the
/// static one (OpenSSL pulls it in, e.g. through RandomNumberGenerator or SHA256) corrupts the
/// heap, and the daemon dies at its next garbage collection.
/// </summary>
public class NoSharedLibraryTests
{
    [Test, Timeout(60_000)]
    public async Task TheDaemonSupervisingClusterWorkersMapsNoSharedLibrary(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "web"
            script = "{PmxSandbox.TestWorker}"
            args = ["--http", "--notify-ready"]
            instances = 2
            exec_mode = "cluster"
            port = {PmxSandbox.FreePort()}
            host = "127.0.0.1"
            wait_ready = true
            """);
        await sandbox.PmxOk(ct, "up");
        var daemonPid = int.Parse(File.ReadAllText(Path.Combine(sandbox.Home, "daemon.pid")).Trim());
        var sharedObjects = File.ReadAllLines($"/proc/{daemonPid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => path.Contains(".so", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        await Assert.That(sharedObjects).IsEmpty().Because("the daemon mapped " + string.Join(", ", sharedObjects));
    }
}
