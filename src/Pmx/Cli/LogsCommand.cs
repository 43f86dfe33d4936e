using System.Text;
using Pmx.Logs;

namespace Pmx.Cli;

/// <summary>
/// `pmx logs [name] [--lines N] [--err|--out] [--follow]`: reads PMX_HOME/logs directly, so it
/// works with the daemon down. For each file it prints a header, then its last N lines as written:
/// <code>
/// ==> web#0 (/home/u/.pmx/logs/web-0-out.log, last 15 lines) &lt;==
/// 2026-11-25 04:20:01.123: listening on 8080
/// </code>
/// With --follow it then prints new lines as they arrive, each prefixed with the file's label
/// (`web#0 | …`, `web#0 err | …`) because lines of several files interleave, following rotations
/// and truncations, and picking up files that appear later (a new app or instance), until Ctrl-C.
/// </summary>
internal static class LogsCommand
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static int Run(string? name, int lines, bool follow, bool errOnly, bool outOnly, CancellationToken ct)
    {
        // Buffered: a tail of thousands of lines is a few writes, not one per line; Run flushes.
        var stdout = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
        var rows = name is null ? null : RunningApps.Rows();
        var knownApps = RunningApps.Names(rows);
        return Run(PmxHome.FromEnvironment(), RunningApps.ProcessTarget(name, rows), lines, follow, errOnly, outOnly, stdout, Console.Error, PollInterval, ct, knownApps);
    }

    public static int Run(PmxHome home, string? name, int lines, bool follow, bool errOnly, bool outOnly,
        Stream stdout, TextWriter stderr, TimeSpan pollInterval, CancellationToken ct, IReadOnlyCollection<string>? knownApps = null)
    {
        if (lines < 0)
        {
            stderr.WriteLine($"pmx: --lines must be 0 or more (got {lines}).");
            return ExitCodes.Usage;
        }
        var all = LogDirectory.Scan(home.LogsDirectory);
        var entries = Select(all, name, errOnly, outOnly, knownApps);
        if (name is not null && LogDirectory.ToRead(all, name, knownApps).Count == 0)
        {
            stderr.WriteLine(UnknownAppMessage(home, name, all));
            return ExitCodes.Failure;
        }
        if (entries.Count == 0 && !follow) stderr.WriteLine($"pmx: no log files yet in {home.LogsDirectory}.");

        var followers = new Dictionary<string, (LogFollower Follower, LabelSink Sink)>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in entries)
            {
                var (bytes, endOffset) = ReadTail(entry.Path, lines);
                Write(stdout, $"==> {entry.Label} ({entry.Path}, last {lines} lines) <==\n");
                stdout.Write(bytes);
                if (bytes.Length > 0 && bytes[^1] != (byte)'\n') stdout.WriteByte((byte)'\n');
                stdout.WriteByte((byte)'\n');
                if (follow) followers[entry.Path] = (new LogFollower(entry.Path, endOffset), new LabelSink(stdout, entry.Label));
            }
            stdout.Flush();
            if (!follow) return ExitCodes.Ok;

            while (!ct.WaitHandle.WaitOne(pollInterval))
            {
                // Files that appeared since (an app or instance started later) are read from their start.
                foreach (var entry in Select(LogDirectory.Scan(home.LogsDirectory), name, errOnly, outOnly, knownApps))
                    if (!followers.ContainsKey(entry.Path))
                        followers[entry.Path] = (new LogFollower(entry.Path, 0), new LabelSink(stdout, entry.Label));
                foreach (var (follower, sink) in followers.Values) follower.Poll(sink);
                stdout.Flush();
            }
            return ExitCodes.Ok;
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            return ExitCodes.Ok; // `pmx logs | head` closed the pipe: nothing more to say
        }
        finally
        {
            foreach (var (follower, _) in followers.Values) follower.Dispose();
        }
    }

    /// <summary>Shared with `pmx flush`: what the user asked for, why it failed, what exists instead.</summary>
    internal static string UnknownAppMessage(PmxHome home, string name, IReadOnlyList<LogFileEntry> all)
    {
        var names = LogDirectory.AppNames(all);
        var known = names.Count == 0 ? "No app has logs there yet." : $"Apps with logs: {string.Join(", ", names)}.";
        return $"pmx: no logs for app '{name}' in {home.LogsDirectory}. {known} (Apps with out_file/error_file set write elsewhere.)";
    }

    /// <param name="knownApps">The daemon's apps, when one answers: they tell `web`'s instance 2 from app `web-2`'s merged log.</param>
    static IReadOnlyList<LogFileEntry> Select(IReadOnlyList<LogFileEntry> all, string? name, bool errOnly, bool outOnly, IReadOnlyCollection<string>? knownApps)
    {
        IEnumerable<LogFileEntry> selected = name is null ? all : LogDirectory.ToRead(all, name, knownApps);
        // --err and --out together mean both, like neither.
        if (errOnly && !outOnly) selected = selected.Where(e => e.Stream == LogStream.Err);
        if (outOnly && !errOnly) selected = selected.Where(e => e.Stream == LogStream.Out);
        return selected.ToArray();
    }

    static (byte[] Bytes, long EndOffset) ReadTail(string path, int lines)
    {
        try { return LogTail.Read(path, lines); }
        catch (FileNotFoundException) { return ([], 0); } // rotated away between the scan and now
    }

    static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    static bool IsBrokenPipe(IOException e) => e.HResult == 32 || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);

    /// <summary>Prints a followed line as `label | line`.</summary>
    sealed class LabelSink(Stream stdout, string label) : ILineSink
    {
        readonly byte[] _prefix = Encoding.UTF8.GetBytes(label + " | ");

        public void OnLine(ReadOnlySpan<byte> line)
        {
            stdout.Write(_prefix);
            stdout.Write(line);
            stdout.WriteByte((byte)'\n');
        }

        public void OnClosed() { }
    }
}
