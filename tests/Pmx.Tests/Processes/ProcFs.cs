using System.Globalization;

namespace Pmx.Tests.Processes;

/// <summary>Fields of /proc/&lt;pid&gt;/stat the tests check directly (proc(5) numbering).</summary>
internal static class ProcFs
{
    /// <summary>Field N of /proc/pid/stat (N ≥ 3), or null when the process is gone.</summary>
    public static string? StatField(int pid, int field)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[field - 3];
    }

    public static int? ParentPid(int pid) => StatField(pid, 4) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;
    public static int? SessionId(int pid) => StatField(pid, 6) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;
    public static int? ProcessGroup(int pid) => StatField(pid, 5) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>The executable's name (/proc/pid/comm), or null when the process is gone.</summary>
    public static string? Command(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n'); }
        catch (IOException) { return null; }
    }

    /// <summary>Gone, or a zombie nobody has reaped yet (PID 1 in a container may never reap it).</summary>
    public static bool IsDead(int pid) => StatField(pid, 3) is null or "Z" or "X";
}
