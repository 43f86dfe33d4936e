using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Pmx.Control;
using Pmx.Logs;

namespace Pmx.Cli;

/// <summary>
/// `pmx monit`: a live, full-screen view of every instance and the stdout log of the selected one.
/// </summary>
/// <remarks>
/// Overview. Constraints first: no P/Invoke, so the terminal is driven with System.Console and
/// ANSI escapes only; the terminal must come back as it was however monit ends (q, Esc, Ctrl-C,
/// SIGTERM, SIGHUP, the daemon going away, an exception); a pipe or file never gets escapes.
/// The scheme: a redirected stdout gets one `pmx list` table and monit exits. Otherwise monit
/// switches to the alternate screen and hides the cursor inside a try/finally that switches back.
/// One background thread blocks in Console.ReadKey and posts keys to a channel; signals cancel
/// one token; one loop owns all state: every second it asks the daemon for the list, between
/// refreshes it applies keys and notices resizes, and it draws a frame only when the frame
/// changed. A daemon that is gone is a value (a notice in the view), not an exit.
/// </remarks>
internal static class MonitCommand
{
    static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan ResizeCheckInterval = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);
    static readonly (int Width, int Height) FallbackSize = (80, 24);

    // Alternate screen on (xterm private mode 1049 saves the main screen), cursor hidden; and back.
    const string EnterScreen = "\e[?1049h\e[?25l\e[2J";
    const string LeaveScreen = "\e[?25h\e[?1049l";

    public static int Run()
    {
        // Scripts and pipes get the plain table of `pmx list`, never escape codes.
        if (Console.IsOutputRedirected) return DaemonCommands.List(json: false, filter: null);

        using var stop = new CancellationTokenSource();
        using var sigint = StopOn(PosixSignal.SIGINT, stop);
        using var sigterm = StopOn(PosixSignal.SIGTERM, stop);
        using var sighup = StopOn(PosixSignal.SIGHUP, stop);
        var keys = Channel.CreateUnbounded<ConsoleKeyInfo>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var isReadingKeys = !Console.IsInputRedirected;
        using var stdout = Console.OpenStandardOutput();
        try
        {
            if (isReadingKeys)
            {
                // Ctrl-C then arrives as a key instead of killing monit before the finally below.
                Console.TreatControlCAsInput = true;
                StartKeyReader(keys.Writer);
            }
            Write(stdout, EnterScreen);
            var session = new Session(DaemonConnection.Home, stdout, keys.Reader, Terminal.UseColourOnStdout);
            session.RunAsync(stop.Token).GetAwaiter().GetResult();
            return ExitCodes.Ok;
        }
        finally
        {
            TryWrite(stdout, LeaveScreen);
            if (isReadingKeys) Console.TreatControlCAsInput = false;
        }
    }

    static PosixSignalRegistration StopOn(PosixSignal signal, CancellationTokenSource stop) =>
        PosixSignalRegistration.Create(signal, context => { context.Cancel = true; stop.Cancel(); });

    static void StartKeyReader(ChannelWriter<ConsoleKeyInfo> keys)
    {
        var reader = new Thread(() =>
        {
            try
            {
                while (true) keys.TryWrite(Console.ReadKey(intercept: true));
            }
            catch (InvalidOperationException) { } // stdin is not a terminal after all: signals still stop monit
            catch (IOException) { }
            finally { keys.TryComplete(); }
        }) { IsBackground = true, Name = "pmx monit keys" };
        reader.Start();
    }

    static void Write(Stream stdout, string text)
    {
        stdout.Write(Encoding.UTF8.GetBytes(text));
        stdout.Flush();
    }

    static void TryWrite(Stream stdout, string text)
    {
        try { Write(stdout, text); }
        catch (IOException) { } // the terminal is gone (SIGHUP): there is nothing left to restore
    }

    static (int Width, int Height) WindowSize()
    {
        try
        {
            var size = (Console.WindowWidth, Console.WindowHeight);
            if (size.WindowWidth > 0 && size.WindowHeight > 0) return size;
        }
        catch (IOException) { }
        catch (PlatformNotSupportedException) { }
        return FallbackSize;
    }

    /// <summary>The one owner of monit's state: what the daemon said, the selection, what is on screen.</summary>
    sealed class Session(PmxHome home, Stream stdout, ChannelReader<ConsoleKeyInfo> keys, bool colour)
    {
        IReadOnlyList<ProcessInfo> _rows = [];
        string? _notice;
        int _selected;
        /// <summary>Out log of each instance as the daemon described it; cleared on every refresh.</summary>
        readonly Dictionary<(string Name, int Instance), string> _outLogs = [];
        (int Width, int Height) _size;
        string? _shownFrame;

        public async Task RunAsync(CancellationToken stop)
        {
            var clock = Stopwatch.StartNew();
            var nextRefresh = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    var isDirty = false;
                    if (clock.Elapsed >= nextRefresh)
                    {
                        await RefreshAsync(stop);
                        nextRefresh = clock.Elapsed + RefreshInterval;
                        isDirty = true;
                    }
                    while (keys.TryRead(out var key))
                    {
                        var action = MonitKeys.ActionFor(key);
                        if (action == MonitAction.Quit) return;
                        var moved = MonitKeys.Move(_selected, action, _rows.Count);
                        isDirty |= moved != _selected;
                        _selected = moved;
                    }
                    var size = WindowSize();
                    if (size != _size)
                    {
                        _size = size;
                        _shownFrame = null;
                        Write(stdout, "\e[2J"); // what a wider frame left outside the new one
                        isDirty = true;
                    }
                    if (isDirty) await DrawAsync(stop);
                    var untilRefresh = nextRefresh - clock.Elapsed;
                    await WaitForKeyAsync(untilRefresh < ResizeCheckInterval ? untilRefresh : ResizeCheckInterval, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // SIGINT, SIGTERM or SIGHUP: the same clean exit as q.
            }
            catch (IOException) when (stop.IsCancellationRequested)
            {
                // SIGHUP because the terminal closed: the frame being drawn had nowhere to go.
            }
        }

        async Task RefreshAsync(CancellationToken stop)
        {
            var previous = _rows.Count > 0 ? (_rows[_selected].Name, _rows[_selected].Instance) : ((string, int)?)null;
            _outLogs.Clear();
            try
            {
                var result = await AskAsync(new ControlRequest { Command = "list" }, stop);
                _rows = result.ExitCode == 0 ? result.Processes ?? [] : [];
                _notice = result.ExitCode == 0 ? null : "pmx: the daemon refused the list: " + result.Message;
            }
            catch (Exception e) when (IsDaemonTrouble(e, stop))
            {
                _rows = [];
                _notice = e is DaemonNotRunningException
                    ? $"no daemon running for PMX_HOME={home.Root}; start apps with 'pmx up' or 'pmx start <script>' (checking every second)"
                    : e is OperationCanceledException
                        ? $"the daemon did not answer 'list' within {RequestTimeout.TotalSeconds:0} s; it may be busy or stuck (see {home.DaemonLogPath})"
                        : e.Message;
            }
            _selected = MonitKeys.Reselect(_rows, previous, _selected);
        }

        async Task DrawAsync(CancellationToken stop)
        {
            var (width, height) = _size;
            IReadOnlyList<string> log = _rows.Count > 0 && _notice is null
                ? ReadLog(await OutLogPathAsync(_rows[_selected], stop), height)
                : [];
            var frame = MonitView.Render(_rows, _selected, log, width, height, colour, _notice);
            if (frame == _shownFrame) return;
            Write(stdout, MonitView.ToScreen(frame, width));
            _shownFrame = frame;
        }

        /// <summary>
        /// Where the instance's stdout goes, from `describe` (merge_logs and out_file move it);
        /// the default PMX_HOME/logs/name-i-out.log when the daemon cannot say.
        /// </summary>
        async Task<string> OutLogPathAsync(ProcessInfo row, CancellationToken stop)
        {
            var key = (row.Name, row.Instance);
            if (_outLogs.TryGetValue(key, out var known)) return known;
            try
            {
                var result = await AskAsync(new ControlRequest { Command = "describe", Target = row.Name }, stop);
                foreach (var instance in result.Details?.Instances ?? [])
                    _outLogs[(row.Name, instance.Process.Instance)] = instance.OutLogPath;
            }
            catch (Exception e) when (IsDaemonTrouble(e, stop)) { }
            return _outLogs.TryGetValue(key, out var described) ? described
                : Path.Combine(home.LogsDirectory, $"{row.Name}-{row.Instance}{LogPaths.OutSuffix}");
        }

        async Task<ControlResult> AskAsync(ControlRequest request, CancellationToken stop)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(RequestTimeout);
            return await ControlClient.SendAsync(home.SocketPath, request, onProgress: _ => { }, deadline.Token);
        }

        static bool IsDaemonTrouble(Exception e, CancellationToken stop) =>
            e is DaemonNotRunningException or ControlProtocolException or IOException
            || (e is OperationCanceledException && !stop.IsCancellationRequested);

        async Task WaitForKeyAsync(TimeSpan wait, CancellationToken stop)
        {
            if (wait <= TimeSpan.Zero) return;
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop);
            tick.CancelAfter(wait);
            try
            {
                // No key reader (stdin not a terminal, or closed): just let the time pass.
                if (!await keys.WaitToReadAsync(tick.Token)) await Task.Delay(wait, stop);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested) { }
        }

        static IReadOnlyList<string> ReadLog(string path, int lineCount)
        {
            try
            {
                var text = Encoding.UTF8.GetString(LogTail.Read(path, lineCount).Bytes);
                if (text.Length == 0) return [];
                var lines = text.Split('\n');
                return text.EndsWith('\n') ? lines[..^1] : lines;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return [$"(no output yet: {path} does not exist)"];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return [$"(cannot read {path}: {e.Message})"];
            }
        }
    }
}
