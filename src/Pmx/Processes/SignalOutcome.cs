namespace Pmx.Processes;

/// <summary>
/// What a kill(2) achieved. ESRCH (the target already exited and was reaped) is an expected race
/// in a supervisor, so it is a value; any other failure (EPERM…) is a bug and throws.
/// </summary>
public enum SignalOutcome { Delivered, NoSuchProcess }
