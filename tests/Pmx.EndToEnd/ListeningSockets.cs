using System.Globalization;

namespace Pmx.EndToEnd;

/// <summary>Which processes hold a listening TCP socket for a port, read from /proc (no ss needed).</summary>
public static class ListeningSockets
{
    /// <summary>Inodes of the sockets listening on <paramref name="port"/> (IPv4 and IPv6).</summary>
    public static HashSet<string> InodesFor(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A") continue; // 0A = LISTEN
                var local = fields[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port) inodes.Add(fields[9]);
            }
        }
        return inodes;
    }

    /// <summary>True when <paramref name="pid"/> has a descriptor for a socket listening on <paramref name="port"/>.</summary>
    public static bool IsHeldBy(int pid, int port)
    {
        var inodes = InodesFor(port);
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1])) return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return false;
    }
}
