using System.Globalization;

namespace Pmx.Keeper;

/// <summary>A process's parent and whether it is a zombie, from /proc/&lt;pid&gt;/stat (fields 3 and 4, proc(5)).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ProcessLineage
{
    public static bool TryRead(int pid, out int parentPid, out bool isZombie)
    {
        parentPid = 0;
        isZombie = false;
        string text;
        try { text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 4 > text.Length) return false;
        var fields = text[(close + 2)..].Split(' ', 3);
        if (fields.Length < 2 || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out parentPid)) return false;
        isZombie = fields[0] is "Z" or "X";
        return true;
    }

    /// <summary>Every live process whose parent is <paramref name="parentPid"/>.</summary>
    public static IEnumerable<int> ChildrenOf(int parentPid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (TryRead(pid, out var parent, out var isZombie) && parent == parentPid && !isZombie) yield return pid;
        }
    }
}
