namespace Pmx.Cli;

/// <summary>One line of /etc/passwd: name:password:uid:gid:gecos:home:shell.</summary>
internal sealed record PasswdEntry(string Name, uint Uid, string Home);

/// <summary>
/// The users /etc/passwd lists, read as a file rather than through getpwnam(3): pmx is a static
/// binary, where glibc's NSS lookups cannot load their modules, and a container root may have no
/// passwd file at all, which is a plain answer here (<see cref="Problem"/>), not an exception.
/// Users only a directory service knows are not found; `pmx startup -u USER --hp HOME` names them.
/// </summary>
internal sealed class PasswdFile
{
    public const string DefaultPath = "/etc/passwd";

    PasswdFile(string path, IReadOnlyList<PasswdEntry> entries, string? problem) =>
        (Path, Entries, Problem) = (path, entries, problem);

    public string Path { get; }
    public IReadOnlyList<PasswdEntry> Entries { get; }
    /// <summary>Why the file could not be read ("no such file"), or null when it was.</summary>
    public string? Problem { get; }

    public static PasswdFile Read(string path = DefaultPath)
    {
        try
        {
            return Parse(path, File.ReadAllLines(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new PasswdFile(path, [], "no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PasswdFile(path, [], e.Message);
        }
    }

    public static PasswdFile Parse(string path, IEnumerable<string> lines)
    {
        var entries = new List<PasswdEntry>();
        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 7 && fields[0].Length > 0 && uint.TryParse(fields[2], out var uid))
                entries.Add(new PasswdEntry(fields[0], uid, fields[5]));
        }
        return new PasswdFile(path, entries, null);
    }

    public PasswdEntry? ByName(string name) => Entries.FirstOrDefault(e => e.Name == name);

    public PasswdEntry? ByUid(uint uid) => Entries.FirstOrDefault(e => e.Uid == uid);

    /// <summary>"not in /etc/passwd" or "/etc/passwd: no such file", for messages.</summary>
    public string WhyMissing => Problem is null ? $"not in {Path}" : $"{Path}: {Problem}";
}
