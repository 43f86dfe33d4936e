using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>
/// A small tmpfs mounted on a fresh folder: a disk that fills up for real. Needs root (CI runs
/// the tests as root); <see cref="TryMount"/> says why when it cannot. Dispose after the sandbox
/// that uses it (the daemon keeps files open there), so declare it first.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: "3m"); null and the reason when it cannot.</summary>
    public static TmpfsMount? TryMount(string size, out string? whyNot)
    {
        whyNot = null;
        if (!IsRoot())
        {
            whyNot = "mounting a tmpfs needs root (CI runs the end-to-end tests as root)";
            return null;
        }
        var path = Directory.CreateTempSubdirectory("pmx-e2e-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        if (code == 0) return new TmpfsMount(path);
        Directory.Delete(path);
        whyNot = $"mount -t tmpfs failed ({code}): {output.Trim()}";
        return null;
    }

    /// <summary>Writes a file until the tmpfs is full; returns its path (delete it to give the space back).</summary>
    public string FillUp()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var chunk = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException) { /* ENOSPC: full */ }
        // The last partial chunk: fill the remaining bytes one page at a time.
        try
        {
            while (true) stream.Write(chunk, 0, 4096);
        }
        catch (IOException) { }
        return filler;
    }

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0) Run("umount", "-l", Path); // lazy: a straggler must not fail teardown
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static bool IsRoot() => File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    static (int Code, string Output) Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30))) { p.Kill(); return (-1, $"{program} did not finish in 30 s"); }
        return (p.ExitCode, output);
    }
}
