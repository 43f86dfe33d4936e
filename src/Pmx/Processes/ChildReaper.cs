using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Pmx.Processes;

/// <summary>
/// Reaps every child of this process and reports each exit, on its own thread.
/// </summary>
/// <remarks>
/// Overview
/// SIGCHLD only says "something changed": signals coalesce, so one wake-up may stand for many
/// exits, and a wake-up can be missed entirely. So every wake-up reaps exited children until none
/// is left, and a slow safety timer does too. Each reap is ChildRegistry.ReapOne: it waits for any
/// child, so it also collects orphans the kernel re-parented to us (as PID 1 or a subreaper), which
/// is exactly what pmx must do; the callback receives those pids too and ignores the ones it does
/// not know. A worker's leftover process group is SIGKILLed just before its leader is reaped.
/// Because it waits for any child, nothing else in the process may wait for its own children
/// (System.Diagnostics.Process included): pmx owns reaping.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class ChildReaper : IDisposable
{
    static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(1);

    readonly Action<int, ExitStatus> _onExit;
    readonly AutoResetEvent _wake = new(false);
    readonly PosixSignalRegistration _sigchld;
    readonly Thread _thread;
    volatile bool _stopping;

    /// <param name="onExit">Called with (pid, status) for every reaped child, on the reaper's thread. It must not throw.</param>
    public ChildReaper(Action<int, ExitStatus> onExit)
    {
        _onExit = onExit;
        // An inherited SIG_IGN would make the kernel discard exits before we can wait for them.
        ProcessSetup.ResetSigchldToDefault();
        _sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => _wake.Set());
        _thread = new Thread(Loop) { IsBackground = true, Name = "pmx reaper" };
        _thread.Start();
    }

    /// <summary>Asks the reaper to look now (for callers that know a child just exited).</summary>
    public void Poke() => _wake.Set();

    void Loop()
    {
        while (true)
        {
            ReapAll();
            if (_stopping) return;
            _wake.WaitOne(SafetyInterval);
        }
    }

    void ReapAll()
    {
        while (!_stopping && ChildRegistry.OfThisProcess.ReapOne(out int pid, out var status) == ChildRegistry.ReapResult.Reaped)
            _onExit(pid, status);
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _sigchld.Dispose();
        _wake.Set();
        // The event is not disposed: a SIGCHLD callback already in flight may still set it.
        if (Thread.CurrentThread != _thread) _thread.Join();
    }
}
