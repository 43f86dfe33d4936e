using System.Globalization;
using System.Text;
using Pmx.Control;

namespace Pmx.Cli;

/// <summary>
/// What one frame of `pmx monit` looks like, as a pure function of what the daemon and the log
/// file said, so every layout rule has a unit test. The frame is exactly <c>height</c> lines, each
/// at most <c>width</c> columns, top to bottom:
/// <code>
///   NAME    PID   STATUS  CPU   MEMORY   RESTARTS  UPTIME
/// > web#0   4242  online  0.3%  12.4 MB  0         12s
///   web#1   4250  online  0%    11.9 MB  0         12s
/// ── web#0 stdout ─────────────────────────────────────
/// 2026-11-25 04:20:01.123: listening on 8080
/// (blank lines)
/// q quit  ↑↓ select
/// </code>
/// The table keeps at least <see cref="MinLogRows"/> rows for the log and scrolls to keep the
/// selected instance visible; the log shows the newest lines that fit. Width is counted in UTF-16
/// characters, so wide glyphs (CJK, emoji) in a log line may overflow the row.
/// </summary>
internal static class MonitView
{
    public const string Footer = "q quit  ↑↓ select";
    public const int MinLogRows = 3;

    const string Marker = "> ";
    const string NoMarker = "  ";
    const string Gap = "  ";
    const string NotRunning = "-";
    const string Reverse = "\e[7m";
    const string Reset = "\e[0m";
    const string DefaultForeground = "\e[39m";

    static readonly string[] Headers = ["NAME", "PID", "STATUS", "CPU", "MEMORY", "RESTARTS", "UPTIME"];
    const int StatusColumn = 2;

    /// <param name="selectedIndex">Index into <paramref name="rows"/>; ignored when rows is empty.</param>
    /// <param name="logLines">The selected instance's last log lines, oldest first; more than fit is fine.</param>
    /// <param name="notice">Shown instead of the table, e.g. that no daemon runs.</param>
    /// <returns>The lines joined with '\n', no trailing newline; "" for a zero-sized terminal.</returns>
    public static string Render(IReadOnlyList<ProcessInfo> rows, int selectedIndex, IReadOnlyList<string> logLines,
        int width, int height, bool colour, string? notice = null)
    {
        if (width <= 0 || height <= 0) return "";
        var body = new List<string>();
        if (notice is not null) body.Add(Fit(notice, width));
        else if (rows.Count == 0) body.Add(Fit(ListRenderer.EmptyMessage, width));
        else AppendTableAndLog(body, rows, Math.Clamp(selectedIndex, 0, rows.Count - 1), logLines, width, height - 1, colour);

        var lines = body.Take(height - 1).ToList();
        while (lines.Count < height - 1) lines.Add("");
        lines.Add(Fit(Footer, width));
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The bytes that put a rendered frame on screen without flicker: home the cursor, overwrite
    /// each row, erase what an older, longer row left behind. A row that fills the width skips the
    /// erase: the cursor then sits on its last column (pending wrap), and erase-in-line would blank
    /// that column too (ECMA-48 EL, as xterm implements it).
    /// </summary>
    public static string ToScreen(string frame, int width)
    {
        var screen = new StringBuilder("\e[H");
        var lines = frame.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) screen.Append("\r\n");
            screen.Append(lines[i]);
            var isFull = VisibleLength(lines[i]) >= width;
            if (!isFull) screen.Append(i == lines.Length - 1 ? "\e[J" : "\e[K");
        }
        return screen.ToString();
    }

    /// <summary>
    /// A log line as plain text: escape sequences (an app's colours) dropped, tabs as one space,
    /// other control characters dropped, so the line cannot move the cursor or recolour the view.
    /// </summary>
    public static string Printable(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\e') { i = EndOfEscape(line, i); continue; }
            if (c == '\t') text.Append(' ');
            else if (!char.IsControl(c)) text.Append(c);
        }
        return text.ToString();
    }

    static void AppendTableAndLog(List<string> body, IReadOnlyList<ProcessInfo> rows, int selected,
        IReadOnlyList<string> logLines, int width, int bodyHeight, bool colour)
    {
        var cells = rows.Select(Cells).ToList();
        // Widths over every row, not just the visible ones, so columns stay put while scrolling.
        var widths = Headers.Select((h, column) => Math.Max(h.Length, cells.Max(row => row[column].Length))).ToArray();

        body.Add(Fit(NoMarker + Join(Headers, widths), width));
        var room = bodyHeight - 2; // the header above, the log title below
        var tableRows = Math.Min(rows.Count, Math.Max(1, room - MinLogRows));
        var first = Math.Clamp(selected - tableRows + 1, 0, rows.Count - tableRows);
        for (var i = first; i < first + tableRows; i++)
            body.Add(Row(cells[i], widths, i == selected, colour ? ListRenderer.StatusColour(rows[i].Status) : null, width));

        var title = $"── {Label(rows[selected])} stdout ";
        body.Add(Fit(title + new string('─', Math.Max(0, width - title.Length)), width));
        var logRows = Math.Max(0, bodyHeight - body.Count);
        foreach (var line in logLines.Skip(Math.Max(0, logLines.Count - logRows)))
            body.Add(Fit(Printable(line), width));
    }

    static string Row(string[] cells, int[] widths, bool isSelected, string? statusColour, int width)
    {
        var plain = (isSelected ? Marker : NoMarker) + Join(cells, widths);
        // A selected row in colour is a reverse-video bar across the whole width.
        var fitted = Fit(isSelected && statusColour is not null ? plain.PadRight(width) : plain, width);
        if (statusColour is null) return fitted;

        var statusStart = NoMarker.Length + widths.Take(StatusColumn).Sum(w => w + Gap.Length);
        var statusEnd = Math.Min(fitted.Length, statusStart + cells[StatusColumn].Length);
        var line = statusStart >= fitted.Length ? fitted
            : fitted[..statusStart] + statusColour + fitted[statusStart..statusEnd] + DefaultForeground + fitted[statusEnd..];
        return isSelected ? Reverse + line + Reset : line;
    }

    static string Join(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var column = 0; column < cells.Length; column++)
        {
            if (column > 0) line.Append(Gap);
            line.Append(cells[column].PadRight(widths[column]));
        }
        return line.ToString().TrimEnd();
    }

    static string[] Cells(ProcessInfo row)
    {
        var isRunning = row.Pid != 0;
        return
        [
            Label(row),
            isRunning ? row.Pid.ToString(CultureInfo.InvariantCulture) : NotRunning,
            ListRenderer.StatusWord(row.Status),
            isRunning ? ListRenderer.FormatCpu(row.CpuPercent) : NotRunning,
            isRunning ? ListRenderer.FormatMemory(row.MemoryBytes) : NotRunning,
            row.Restarts.ToString(CultureInfo.InvariantCulture),
            isRunning ? ListRenderer.FormatUptime(row.UptimeMs) : NotRunning,
        ];
    }

    static string Label(ProcessInfo row) => $"{row.Name}#{row.Instance.ToString(CultureInfo.InvariantCulture)}";

    static string Fit(string text, int width) => text.Length <= width ? text : text[..width];

    static int VisibleLength(string line) => Printable(line).Length;

    /// <summary>The index of the last character of the escape sequence starting at <paramref name="start"/>.</summary>
    static int EndOfEscape(string line, int start)
    {
        if (start + 1 >= line.Length) return start;
        if (line[start + 1] != '[') return start + 1; // two-character escapes: ESC 7, ESC M, …
        // CSI: parameter and intermediate bytes, then one final byte in @..~ (ECMA-48 §5.4).
        var i = start + 2;
        while (i < line.Length && line[i] is < '@' or > '~') i++;
        return Math.Min(i, line.Length - 1);
    }
}
