using System.Globalization;
using System.Text;
using System.Text.Json;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>
/// `pmx list`: an aligned table for people, a JSON array for scripts (DESIGN §7). Rows are shown
/// in the order the daemon sends them. Both forms end with a newline.
/// </summary>
internal static class ListRenderer
{
    const string Reset = "\e[0m";
    const string Gap = "  ";
    const string NotRunning = "-";

    static readonly string[] Headers = ["NAME", "ID", "PID", "STATUS", "UPTIME", "RESTARTS", "CPU", "MEMORY"];
    const int StatusColumn = 3;

    public const string EmptyMessage = "No apps yet. Start some with 'pmx up' (reads ./ecosystem.toml) or 'pmx start <script>'.";

    /// <summary>
    /// One line per instance under a header. Pid, uptime, cpu and memory read "-" for an instance
    /// with no process, so a stopped app never looks like one using 0 bytes.
    /// </summary>
    public static string RenderTable(IReadOnlyList<ProcessInfo> rows, bool colour)
    {
        if (rows.Count == 0) return EmptyMessage + "\n";

        // Plain loops: `pmx list` runs in a fresh process each time, where LINQ's generic iterators
        // cost their first-use set-up (type and interface-dispatch resolution) on every run.
        var cells = new string[rows.Count][];
        var widths = new int[Headers.Length];
        for (var column = 0; column < Headers.Length; column++) widths[column] = Headers[column].Length;
        for (var i = 0; i < rows.Count; i++)
        {
            cells[i] = Cells(rows[i]);
            for (var column = 0; column < Headers.Length; column++) widths[column] = Math.Max(widths[column], cells[i][column].Length);
        }

        var text = new StringBuilder();
        AppendLine(text, Headers, widths, statusColour: null);
        for (var i = 0; i < rows.Count; i++)
            AppendLine(text, cells[i], widths, colour ? StatusColour(rows[i].Status) : null);
        return text.ToString();
    }

    /// <summary>The public `pmx list --json` array: one compact line, field names never renamed.</summary>
    public static string RenderJson(IReadOnlyList<ProcessInfo> rows) =>
        JsonSerializer.Serialize(rows, ControlJsonContext.Default.IReadOnlyListProcessInfo) + "\n";

    /// <summary>The largest whole unit, floored like PM2: 59999 ms is "59s", 60000 ms is "1m".</summary>
    public static string FormatUptime(long uptimeMs)
    {
        var uptime = TimeSpan.FromMilliseconds(Math.Max(0, uptimeMs));
        return uptime switch
        {
            { TotalDays: >= 1 } => $"{(long)uptime.TotalDays}d",
            { TotalHours: >= 1 } => $"{(long)uptime.TotalHours}h",
            { TotalMinutes: >= 1 } => $"{(long)uptime.TotalMinutes}m",
            _ => $"{(long)uptime.TotalSeconds}s",
        };
    }

    /// <summary>Binary multiples with the short labels top and PM2 use: 13002342 bytes is "12.4 MB".</summary>
    public static string FormatMemory(long bytes)
    {
        string[] units = ["KB", "MB", "GB", "TB"];
        if (bytes < 1024) return $"{Math.Max(0, bytes)} B";
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>One decimal at most: "0.3%", "12%", "0%".</summary>
    public static string FormatCpu(double percent) =>
        Math.Round(Math.Max(0, percent), 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>The ANSI colour for a status: green online, red errored, yellow in between, grey stopped.</summary>
    public static string StatusColour(ProcessStatus status) => status switch
    {
        ProcessStatus.Online => "\e[32m",
        ProcessStatus.Errored => "\e[31m",
        ProcessStatus.Launching or ProcessStatus.Stopping => "\e[33m",
        _ => "\e[90m",
    };

    /// <summary>The status as users read and scripts parse it: "online", "errored".</summary>
    public static string StatusWord(ProcessStatus status) => ProcessStatusWords.Word(status);

    static string[] Cells(ProcessInfo row)
    {
        var running = row.Pid != 0;
        return
        [
            row.Name,
            row.Id.ToString(CultureInfo.InvariantCulture),
            running ? row.Pid.ToString(CultureInfo.InvariantCulture) : NotRunning,
            StatusWord(row.Status),
            running ? FormatUptime(row.UptimeMs) : NotRunning,
            row.Restarts.ToString(CultureInfo.InvariantCulture),
            running ? FormatCpu(row.CpuPercent) : NotRunning,
            running ? FormatMemory(row.MemoryBytes) : NotRunning,
        ];
    }

    static void AppendLine(StringBuilder text, string[] cells, int[] widths, string? statusColour)
    {
        var line = new StringBuilder();
        for (var column = 0; column < cells.Length; column++)
        {
            if (column > 0) line.Append(Gap);
            // Pad on the plain text: escape codes take no room on screen.
            var padded = column == cells.Length - 1 ? cells[column] : cells[column].PadRight(widths[column]);
            if (column == StatusColumn && statusColour is not null)
                line.Append(statusColour).Append(cells[column]).Append(Reset).Append(' ', padded.Length - cells[column].Length);
            else
                line.Append(padded);
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
