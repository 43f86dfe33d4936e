namespace Pmx.Processes;

/// <summary>
/// What a kill(2) (or its Windows counterpart) achieved. ESRCH (the target already exited and was
/// reaped) and EPERM (the target changed credentials, e.g. a setuid program, or is not ours) are
/// races a supervisor must survive, so they are values the caller reports; they never crash the
/// daemon. NotSupported: the platform has no such thing (POSIX signals on Windows, or a graceful
/// stop for a worker without a channel to receive it).
/// </summary>
public enum SignalOutcome { Delivered, NoSuchProcess, NotPermitted, NotSupported }
