using System.Globalization;
using static Pmx.Interop.Interop;

namespace Pmx.Processes;

/// <summary>CPU, memory and identity of live processes, read from /proc/&lt;pid&gt;/stat (proc(5)).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ProcessStats
{
    /// <summary>USER_HZ: the unit of CPU and start times in /proc (100 on every mainstream Linux).</summary>
    public static long ClockTicksPerSecond { get; } = sysconf(_SC_CLK_TCK) is > 0 and var hz ? hz : 100;

    /// <summary>False when the process is gone (or its stat cannot be parsed).</summary>
    public static bool TryRead(int pid, out ProcessSample sample)
    {
        sample = default;
        string text;
        try { text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"); }
        catch (IOException) { return false; }           // exited between listing and reading
        catch (UnauthorizedAccessException) { return false; }
        return TryParseStat(text, out sample);
    }

    /// <summary>
    /// Parses one /proc/&lt;pid&gt;/stat line. The command name (field 2) is in parentheses and may
    /// itself contain spaces and ')', so fields are counted from the last ')'.
    /// </summary>
    internal static bool TryParseStat(string text, out ProcessSample sample)
    {
        sample = default;
        int close = text.LastIndexOf(')');
        if (close < 0) return false;
        // After ')': field 3 (state) is index 0, so field N is index N - 3.
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 22) return false;
        if (!int.TryParse(fields[5 - 3], CultureInfo.InvariantCulture, out var pgrp)
            || !long.TryParse(fields[14 - 3], CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[15 - 3], CultureInfo.InvariantCulture, out var stime)
            || !long.TryParse(fields[22 - 3], CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(fields[24 - 3], CultureInfo.InvariantCulture, out var rssPages))
            return false;
        sample = new ProcessSample(utime + stime, rssPages * Environment.SystemPageSize, start, pgrp);
        return true;
    }

    /// <summary>Sum of the RSS of every process whose process group is <paramref name="processGroupId"/> (a worker and its children).</summary>
    public static long ProcessGroupRssBytes(int processGroupId) =>
        RssByProcessGroup().GetValueOrDefault(processGroupId);

    /// <summary>RSS summed per process group, from one pass over /proc (cheap to ask for many groups).</summary>
    public static Dictionary<int, long> RssByProcessGroup()
    {
        var totals = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
            if (!int.TryParse(name, CultureInfo.InvariantCulture, out var pid)) continue;
            if (TryRead(pid, out var s)) totals[s.ProcessGroupId] = totals.GetValueOrDefault(s.ProcessGroupId) + s.RssBytes;
        }
        return totals;
    }
}
