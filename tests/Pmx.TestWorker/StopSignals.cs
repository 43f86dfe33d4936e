using System.Runtime.InteropServices;

namespace Pmx.TestWorker;

/// <summary>
/// Turns SIGINT/SIGTERM into a task that completes with the signal's name, and swallows the signals
/// <c>--ignore</c> names. Every handled signal is cancelled, so the runtime's default (exit at once
/// for SIGTERM) never runs: the worker decides when to exit, which is the point of a stop fixture.
/// </summary>
sealed class StopSignals : IDisposable
{
    readonly List<PosixSignalRegistration> _registrations = [];
    readonly TaskCompletionSource<string> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Output _output;

    public StopSignals(Output output, IReadOnlyCollection<string> ignored)
    {
        _output = output;
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "INT"), (PosixSignal.SIGTERM, "TERM"), (PosixSignal.SIGHUP, "HUP"), (PosixSignal.SIGQUIT, "QUIT") })
        {
            if (ignored.Contains(name))
                _registrations.Add(PosixSignalRegistration.Create(signal, context => Ignore(context, name)));
            else if (name is "INT" or "TERM")
                _registrations.Add(PosixSignalRegistration.Create(signal, context => Stop(context, name)));
            // HUP and QUIT that are not ignored keep their default action: the kernel ends us.
        }
    }

    /// <summary>Completes with "SIGINT" or "SIGTERM" at the first of them; later ones are only logged.</summary>
    public Task<string> Stopped => _stop.Task;

    void Ignore(PosixSignalContext context, string name)
    {
        context.Cancel = true;
        _output.Line($"ignored SIG{name}");
    }

    void Stop(PosixSignalContext context, string name)
    {
        context.Cancel = true;
        _output.Line($"got SIG{name}");
        _stop.TrySetResult($"SIG{name}");
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
