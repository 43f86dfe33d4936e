using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>
/// A directory holding only pmx, a static busybox (/bin/busybox, /bin/sleep), /dev/null,
/// /dev/urandom and /proc, seen through chroot. The /dev nodes and /proc are mounted inside a
/// private mount namespace held open by one `unshare` process: the host never sees those mounts,
/// and they vanish with the last process inside, so nothing stays mounted even if the test dies.
/// Disposing kills every process whose root is this directory, ends the namespace and deletes it.
/// </summary>
public sealed class EmptyRoot : IAsyncDisposable
{
    public const string StaticBusybox = "/bin/busybox";
    const string Home = "/pmx-home";

    // Runs in the new namespace: the mounts, then "ready", then it lives until its stdin closes.
    const string MountScript = """
        set -e
        mount --bind /dev/null "$1/dev/null"
        mount --bind /dev/urandom "$1/dev/urandom"
        mount -t proc proc "$1/proc" 2>/dev/null || mount --rbind /proc "$1/proc"
        echo ready
        exec cat >/dev/null
        """;

    readonly Process _namespace;

    // chroot(8) after entering the namespace, not nsenter --root: nsenter opens the directory before
    // it enters, and a root taken from the host's view does not see the namespace's mounts.
    // Looked up by absolute path: the PATH given to pmx names only the root's /bin.
    static readonly string Chroot = new[] { "/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot" }.FirstOrDefault(File.Exists) ?? "chroot";

    EmptyRoot(string path, Process holder) { Path = path; _namespace = holder; }

    public string Path { get; }

    public static async Task<EmptyRoot> Create(string pmx, CancellationToken ct)
    {
        var path = Directory.CreateTempSubdirectory("pmx-root-").FullName;
        foreach (var dir in new[] { "bin", "dev", "proc", Home[1..] }) Directory.CreateDirectory(System.IO.Path.Combine(path, dir));
        File.Copy(pmx, System.IO.Path.Combine(path, "pmx"));
        File.Copy(StaticBusybox, System.IO.Path.Combine(path, "bin", "busybox"));
        File.CreateSymbolicLink(System.IO.Path.Combine(path, "bin", "sleep"), "busybox");
        // Mount points for the two device nodes; the host's nodes are bound over them.
        File.WriteAllBytes(System.IO.Path.Combine(path, "dev", "null"), []);
        File.WriteAllBytes(System.IO.Path.Combine(path, "dev", "urandom"), []);

        var psi = new ProcessStartInfo("unshare") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--mount", "--propagation", "private", "--", "sh", "-c", MountScript, "sh", path }) psi.ArgumentList.Add(arg);
        var holder = Process.Start(psi)!;
        var root = new EmptyRoot(path, holder);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var line = await holder.StandardOutput.ReadLineAsync(timeout.Token);
            if (line != "ready") throw new InvalidOperationException($"could not mount /dev nodes and /proc in a mount namespace (unshare said '{line}')");
            return root;
        }
        catch
        {
            await root.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs /pmx inside the namespace, chrooted into this directory, with a bounded wait.</summary>
    public Task<RunResult> Pmx(CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--target", _namespace.Id.ToString(), "--mount", "--", Chroot, Path, "/pmx" }) psi.ArgumentList.Add(arg);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["PMX_HOME"] = Home;
        psi.Environment["PATH"] = "/bin";
        psi.Environment["NO_COLOR"] = "1";
        return PmxRun.Run(psi, ct);
    }

    /// <summary>The pid of the nap worker as `pmx list --json` reports it (0 when not running).</summary>
    public async Task<int> WorkerPid(CancellationToken ct)
    {
        var list = await Pmx(ct, "list", "--json");
        using var doc = System.Text.Json.JsonDocument.Parse(list.Stdout);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("pid").GetInt32()).FirstOrDefault();
    }

    /// <summary>Every live process whose root directory is this one (the daemon, the workers, a CLI).</summary>
    public IEnumerable<int> ProcessesInside()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid)) continue;
            string? root;
            try { root = new DirectoryInfo(System.IO.Path.Combine(dir, "root")).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (root == Path) yield return pid;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (ProcessesInside().ToList() is { Count: > 0 } left && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var pid in left)
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            await Task.Delay(20);
        }
        _namespace.StandardInput.Close();   // cat exits: the namespace, and its mounts, end
        if (!_namespace.WaitForExit(5_000)) _namespace.Kill();
        _namespace.Dispose();
        var daemonLog = System.IO.Path.Combine(Path, Home[1..], "daemon.log");
        if (File.Exists(daemonLog))
        {
            Console.WriteLine("---- daemon.log (empty root) ----");
            Console.WriteLine(File.ReadAllText(daemonLog));
        }
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
