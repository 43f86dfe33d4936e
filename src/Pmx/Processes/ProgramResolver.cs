using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>
/// Finds the file a worker's execvpe will run, before spawning, so a typo or a missing runtime is a
/// clear <see cref="SpawnException"/> in the CLI instead of a worker that dies with exit 127.
/// Mirrors glibc execvpe: a name with a '/' is a path (relative to the worker's cwd), anything else
/// is searched on the worker's PATH (unset PATH means "/bin:/usr/bin", an empty entry the cwd),
/// and an entry that exists but is not executable is skipped while the search continues.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ProgramResolver
{
    const string DefaultPath = "/bin:/usr/bin";

    public static string Resolve(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (program.Length == 0)
            throw new SpawnException(program, "cannot start a worker: the program name is empty");

        if (program.Contains('/'))
        {
            var path = Path.Combine(workingDirectory, program);
            if (Directory.Exists(path))
                throw new SpawnException(program, $"cannot start '{program}': '{path}' is a directory");
            if (!File.Exists(path))
                throw new SpawnException(program, $"cannot start '{program}': {Describe(Errno.ENOENT)}" +
                    (Path.IsPathRooted(program) ? "" : $" (looked in cwd '{workingDirectory}')"));
            if (access(path, X_OK) != 0)
                throw new SpawnException(program, $"cannot start '{program}': {Describe(LastError)} (is it executable? try 'chmod +x {path}')");
            return path;
        }

        var searchPath = environment.TryGetValue("PATH", out var p) ? p : DefaultPath;
        string? notExecutable = null;
        foreach (var entry in searchPath.Split(':'))
        {
            var dir = entry.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, entry);
            var candidate = Path.Combine(dir, program);
            if (!File.Exists(candidate)) continue;
            if (access(candidate, X_OK) == 0) return candidate;
            notExecutable ??= candidate;
        }

        if (notExecutable != null)
            throw new SpawnException(program, $"cannot start '{program}': {Describe(Errno.EACCES)} ('{notExecutable}' is not executable)");
        throw new SpawnException(program, $"cannot start '{program}': {Describe(Errno.ENOENT)} (not found in PATH={searchPath})");
    }
}
