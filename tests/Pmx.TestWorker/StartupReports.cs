using System.Text;

namespace Pmx.TestWorker;

/// <summary>The one-shot things a worker does right after its start line: facts tests read back.</summary>
static class StartupReports
{
    /// <summary>
    /// Signal masks as the kernel sees them, so a test can prove pmx spawned us with nothing blocked
    /// or ignored (a child inherits both across exec; see signal(7), "Signal mask and pending signals").
    /// </summary>
    public static void ReportSignals()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("SigBlk:", StringComparison.Ordinal) || line.StartsWith("SigIgn:", StringComparison.Ordinal) || line.StartsWith("SigCgt:", StringComparison.Ordinal))
                Console.Out.WriteLine(line);
    }

    public static void PrintEnv(IEnumerable<string> names)
    {
        foreach (var name in names)
            Console.Out.WriteLine($"{name}={Environment.GetEnvironmentVariable(name) ?? "<unset>"}");
    }

    /// <summary>One line per start, so a test counts restarts without parsing logs. O_APPEND keeps concurrent instances' lines whole.</summary>
    public static void WriteStartedLine(string path, int pid) =>
        File.AppendAllText(path, $"started pid={pid}\n");

    /// <summary>
    /// 'line 1' .. 'line N' through one large buffer flushed once at the end: the point is to flood
    /// pmx's log pipe faster than a line-at-a-time writer could, to test capture and rotation.
    /// </summary>
    public static void Flood(Stream destination, int count, int lineSize)
    {
        using var writer = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        writer.AutoFlush = false;
        var dots = new string('.', lineSize);
        for (var i = 1; i <= count; i++)
        {
            var line = $"line {i}";
            writer.Write(line);
            var padding = lineSize - line.Length - 2; // the space before the dots and the newline
            if (padding > 0)
            {
                writer.Write(' ');
                writer.Write(dots.AsSpan(0, padding));
            }
            writer.Write('\n');
        }
        writer.Flush();
    }
}
