using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using Pmx.Interop;

namespace Pmx.Processes;

/// <summary>
/// The graceful stop of a Windows worker that is not node (which hears a message on its Node
/// channel instead): Ctrl+C, through a console pmx keeps for the purpose and its workers share.
/// </summary>
/// <remarks>
/// Overview
/// Constraints: Windows has no signals; the nearest is a console control event, which reaches only
/// processes attached to the sender's console. CTRL_BREAK_EVENT fails under Wine 8, so it is
/// CTRL_C_EVENT, sent to one process group: each worker is created with CREATE_NEW_PROCESS_GROUP
/// (its pid is the group id, its children join the group), which also makes it start ignoring
/// Ctrl+C, so an app opts in with SetConsoleCtrlHandler(NULL, FALSE) and then receives it as
/// SIGINT (PosixSignalRegistration, Console.CancelKeyPress; Node's process.on('SIGINT')). The
/// detached daemon has no usable console (and under Wine a headless process has a bare one):
/// FreeConsole, then AllocConsole gives it a hidden one, measured to deliver Ctrl+C under Wine.
/// A console pmx made is ignored by pmx's own Ctrl+C handling, in case an event ever reaches its group.
/// Scheme: every console call runs on one dedicated thread and the callers wait a bounded time, so
/// a console call that never returns (a conhost gone astray) cannot wedge the supervisor's loop.
/// (The daemon hang once blamed on consoles under Wine was a write to a Node channel nobody read:
/// that pipe has a buffer now, and only node gets the stop message.) The console is
/// made when pmx starts; a spawn waits for it at most <see cref="AttachDeadline"/>. A call that
/// stays out longer than <see cref="WedgedAfter"/> marks the console unusable: later workers get
/// CREATE_NO_WINDOW and no graceful stop, and the supervisor kills after kill_timeout as it always
/// does when Stop is NotSupported.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsConsoleStop
{
    static readonly TimeSpan AttachDeadline = TimeSpan.FromSeconds(10);
    /// <summary>How long Stop (on the supervisor's loop) waits for GenerateConsoleCtrlEvent's answer.</summary>
    static readonly TimeSpan ReplyDeadline = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan WedgedAfter = TimeSpan.FromSeconds(5);

    readonly BlockingCollection<Action> _calls = [];
    readonly ManualResetEventSlim _settled = new();
    volatile bool _isAttached;
    /// <summary>Stopwatch timestamp at which the running console call began; 0 when none runs.</summary>
    long _callStarted;

    public WindowsConsoleStop()
    {
        new Thread(Run) { Name = "pmx console", IsBackground = true }.Start();
        _calls.Add(Attach);
    }

    /// <summary>
    /// True when a worker started now shares pmx's console and can be sent Ctrl+C; waits (on the
    /// spawning thread, never the supervisor's loop) for the console the first time, and not at all
    /// once making it has hung.
    /// </summary>
    public bool IsUsable => !IsWedged && _settled.Wait(AttachDeadline) && _isAttached && !IsWedged;

    /// <summary>Flags that put a worker on pmx's console in a group of its own, or else on no console at all.</summary>
    public uint WorkerCreationFlags() => IsUsable ? Kernel32.CREATE_NEW_PROCESS_GROUP : Kernel32.CREATE_NO_WINDOW;

    /// <summary>Ctrl+C to the process group <paramref name="pid"/> leads. NotSupported when the console cannot carry it (now).</summary>
    public SignalOutcome SendCtrlC(int pid)
    {
        if (!_isAttached || IsWedged) return SignalOutcome.NotSupported;
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls.Add(() => sent.TrySetResult(Kernel32.GenerateConsoleCtrlEvent(Kernel32.CTRL_C_EVENT, (uint)pid)));
        // Not answered in time: the call may still land; if it never does, kill_timeout ends the worker.
        if (!sent.Task.Wait(ReplyDeadline)) return SignalOutcome.NotSupported;
        return sent.Task.Result ? SignalOutcome.Delivered : SignalOutcome.NotPermitted;
    }

    bool IsWedged
    {
        get
        {
            var started = Interlocked.Read(ref _callStarted);
            return started != 0 && Stopwatch.GetElapsedTime(started) > WedgedAfter;
        }
    }

    void Attach()
    {
        try
        {
            // A console our standard handles use is the user's (pmx in the foreground): kept, so
            // pmx's output and the user's Ctrl+C still work. Otherwise a bare or absent one is
            // replaced by a console of our own.
            if (StandardHandlesUseAConsole())
            {
                _isAttached = true;
                return;
            }
            Kernel32.FreeConsole();
            if (!Kernel32.AllocConsole()) return;
            if (Kernel32.GetConsoleWindow() is var window and not 0) User32.ShowWindow(window, User32.SW_HIDE);
            _isAttached = Kernel32.SetConsoleCtrlHandler(0, add: true);
        }
        finally
        {
            _settled.Set();
        }
    }

    static bool StandardHandlesUseAConsole() =>
        Array.Exists([Kernel32.STD_INPUT_HANDLE, Kernel32.STD_OUTPUT_HANDLE, Kernel32.STD_ERROR_HANDLE],
            which => Kernel32.GetConsoleMode(Kernel32.GetStdHandle(which), out _));

    /// <summary>The console thread, for the daemon's life (a background thread: it never holds up the exit).</summary>
    void Run()
    {
        foreach (var call in _calls.GetConsumingEnumerable())
        {
            Interlocked.Exchange(ref _callStarted, Stopwatch.GetTimestamp());
            call();
            Interlocked.Exchange(ref _callStarted, 0);
        }
    }
}
