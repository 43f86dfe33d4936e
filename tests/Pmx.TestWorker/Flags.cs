using System.Globalization;

namespace Pmx.TestWorker;

/// <summary>What the worker was asked to do. Every flag is declared once, with its help text, in <see cref="Table"/>.</summary>
sealed class Flags
{
    public bool IsHelp { get; private set; }
    public int? ExitCode { get; private set; }
    public TimeSpan? ExitAfter { get; private set; }
    public List<string> IgnoredSignals { get; } = [];
    public TimeSpan StopDelay { get; private set; }

    public bool IsHttp { get; private set; }
    public int? Port { get; private set; }
    public string Tag { get; private set; } = "v1";
    public TimeSpan Drain { get; private set; } = TimeSpan.FromSeconds(1);

    public bool IsNotifyReady { get; private set; }
    public TimeSpan ReadyDelay { get; private set; }
    public bool IsNeverReady { get; private set; }
    public bool IsNodeReady { get; private set; }
    public string? Status { get; private set; }

    public int Lines { get; private set; }
    public int LineSize { get; private set; }
    public int StderrLines { get; private set; }
    public double? GrowMemoryMegabytesPerSecond { get; private set; }
    public TimeSpan? SpawnOrphan { get; private set; }
    public bool IsReportSignals { get; private set; }
    public List<string> PrintEnv { get; } = [];
    public string? WriteFile { get; private set; }
    public string? DescribePipe { get; private set; }
    public string? SquatPipe { get; private set; }

    /// <summary>The signals <c>--ignore</c> understands (the ones PosixSignalRegistration can catch and that matter to pmx).</summary>
    public static readonly string[] IgnorableSignals = ["INT", "TERM", "HUP", "QUIT"];

    sealed record Flag(string Name, string? Value, string Help, Action<Flags, string> Apply);

    static readonly Flag[] Table =
    [
        new("--help", null, "print this text and exit 0", (f, _) => f.IsHelp = true),
        new("--exit", "N", "exit with code N right after start-up (with --exit-after: the code to exit with then)", (f, v) => f.ExitCode = Int(v, 0, 255)),
        new("--exit-after", "DUR", "run, then exit after DUR with the --exit code (default 0)", (f, v) => f.ExitAfter = Dur(v)),
        new("--crash-after", "DUR", "exit with code 1 after DUR (same as --exit-after DUR --exit 1)", (f, v) => { f.ExitAfter = Dur(v); f.ExitCode = 1; }),
        new("--ignore", "SIGS", "ignore these signals, e.g. INT,TERM (of INT, TERM, HUP, QUIT); only SIGKILL stops us then", (f, v) => f.IgnoredSignals.AddRange(Signals(v))),
        new("--stop-delay", "DUR", "on SIGINT/SIGTERM, wait DUR more before exiting (a slow shutdown)", (f, v) => f.StopDelay = Dur(v)),
        new("--http", null, "serve HTTP/1.1 on fd 3 (LISTEN_FDS/LISTEN_PID) or else on 127.0.0.1:--port", (f, _) => f.IsHttp = true),
        new("--port", "P", "with --http and no fd 3: bind 127.0.0.1:P (0 picks a free port; the listening line names it)", (f, v) => f.Port = Int(v, 0, 65535)),
        new("--tag", "TEXT", "the tag= in HTTP bodies (default v1)", (f, v) => f.Tag = v),
        new("--drain", "DUR", "graceful drain window on SIGINT/SIGTERM (default 1s)", (f, v) => f.Drain = Dur(v)),
        new("--notify-ready", null, "send READY=1 and STATUS=<--status or serving> to NOTIFY_SOCKET once serving", (f, _) => f.IsNotifyReady = true),
        new("--node-ready", null, "write \"ready\" and a newline to fd NODE_CHANNEL_FD once serving", (f, _) => f.IsNodeReady = true),
        new("--ready-delay", "DUR", "wait DUR after start-up (and after listening) before saying ready", (f, v) => f.ReadyDelay = Dur(v)),
        new("--never-ready", null, "never say ready (overrides --notify-ready and --node-ready); still serves", (f, _) => f.IsNeverReady = true),
        new("--status", "TEXT", "send STATUS=TEXT to NOTIFY_SOCKET at start-up, and use it in the READY=1 datagram", (f, v) => f.Status = v),
        new("--lines", "N", "print 'line 1' .. 'line N' to stdout as fast as possible, then carry on", (f, v) => f.Lines = Int(v, 0, int.MaxValue)),
        new("--line-size", "K", "pad each --lines/--stderr-lines line with dots to K bytes, newline included", (f, v) => f.LineSize = Int(v, 0, 16 * 1024 * 1024)),
        new("--stderr-lines", "N", "print 'line 1' .. 'line N' to stderr, after the stdout lines", (f, v) => f.StderrLines = Int(v, 0, int.MaxValue)),
        new("--grow-memory", "MB_PER_S", "allocate and touch MB_PER_S megabytes a second, forever; print rss every second", (f, v) => f.GrowMemoryMegabytesPerSecond = Positive(v)),
        new("--spawn-orphan", "DUR", "run /bin/sh -c 'sleep DUR &' so the sleep outlives sh and is re-parented (Windows: a copy of us that ignores INT, for DUR); print its pid", (f, v) => f.SpawnOrphan = Dur(v)),
        new("--report-signals", null, "print the SigBlk:, SigIgn: and SigCgt: lines of /proc/self/status at start-up (.NET itself ignores SIGPIPE: SigIgn bit 0x1000)", (f, _) => f.IsReportSignals = true),
        new("--print-env", "A,B", "print A=<value> (or A=<unset>) for each variable at start-up", (f, v) => f.PrintEnv.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries))),
        new("--write-file", "PATH", "append 'started pid=<pid>' and a newline to PATH at start-up", (f, v) => f.WriteFile = v),
        new("--describe-pipe", "NAME", "Windows: connect to pipe NAME (env:VAR: the name in VAR; node-channel: NODE_CHANNEL_FD) and print its owner, our SID and each ACE; stays connected", (f, v) => f.DescribePipe = v),
        new("--squat-pipe", "NAME", "Windows: create pipe NAME first, owned by our token's default owner (CurrentUserOnly), and hold it", (f, v) => f.SquatPipe = v),
    ];

    /// <summary>Parses <paramref name="args"/>; on a bad flag returns null and a message saying which.</summary>
    public static Flags? Parse(string[] args, out string? error)
    {
        var flags = new Flags();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = Array.Find(Table, f => f.Name == args[i]);
            if (flag is null) { error = $"unknown flag '{args[i]}'"; return null; }
            string value = "";
            if (flag.Value is not null)
            {
                if (i + 1 >= args.Length) { error = $"{flag.Name} needs a value ({flag.Value})"; return null; }
                value = args[++i];
            }
            try { flag.Apply(flags, value); }
            catch (FormatException e) { error = $"{flag.Name} {value}: {e.Message}"; return null; }
        }
        if (flags.Port is not null && !flags.IsHttp) { error = "--port only makes sense with --http"; return null; }
        return flags;
    }

    public static string Usage()
    {
        var lines = new List<string>
        {
            "usage: testworker [flags]",
            "pmx's end-to-end fixture. Prints 'testworker pid=<pid> started', then idles until SIGINT/SIGTERM,",
            "prints 'testworker pid=<pid> got SIGINT' (or SIGTERM) and exits 0 (after the HTTP drain if --http).",
            "DUR is 500ms, 2s, 1.5s, 1m, 1h or 0. Flags combine. Unknown flags: this text on stderr, exit 2.",
            "",
        };
        var width = Table.Max(f => f.Name.Length + (f.Value?.Length + 1 ?? 0));
        foreach (var f in Table)
            lines.Add($"  {(f.Value is null ? f.Name : $"{f.Name} {f.Value}").PadRight(width)}  {f.Help}");
        lines.Add("");
        lines.Add("HTTP: GET / -> 200 'tag=<tag> pid=<pid> instance=<PMX_INSTANCE or ->\\n'; GET /slow?ms=N -> the same after N ms;");
        lines.Add("      GET /health -> 200 'ok'. Keep-alive by default. On SIGINT/SIGTERM: every response says");
        lines.Add("      'Connection: close' for the --drain window, then accept stops, idle connections close, in-flight finish.");
        lines.Add("On SIGINT/SIGTERM, STOPPING=1 goes to NOTIFY_SOCKET whenever it is set, with or without --notify-ready.");
        return string.Join('\n', lines) + "\n";
    }

    static int Int(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"expected a whole number from {min} to {max}");

    static double Positive(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException("expected a positive number");

    static TimeSpan Dur(string text) =>
        Duration.TryParse(text, out var d) ? d : throw new FormatException("expected a duration like 500ms, 2s or 1m");

    static IEnumerable<string> Signals(string text)
    {
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = raw.ToUpperInvariant();
            if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
            yield return Array.IndexOf(IgnorableSignals, name) >= 0
                ? name
                : throw new FormatException($"cannot ignore '{raw}'; expected some of {string.Join(',', IgnorableSignals)}");
        }
    }
}
