namespace Pmx.Control;

/// <summary>
/// An ecosystem file some supervised apps came from, and the --env they were resolved with: what a
/// bare `pmx reload` re-reads. The CLI reads it (a JS config runs the user's node, and the daemon
/// never starts a process outside its own spawn path: DESIGN §6) and sends the apps it found.
/// </summary>
internal sealed record ConfigSource(string Path, string? EnvName);
