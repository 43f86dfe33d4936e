using System.Globalization;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Keeper;

// Overview
// Constraints: `pmx update` must leave no process of the old version behind, but the keeper cannot
// be replaced by another process: it is the workers' parent (their exits reach only it) and holds
// the only copies of their pipes and sockets while no daemon runs. execve(2) keeps what matters:
// the pid (so parenthood and keeper.pid), every descriptor without FD_CLOEXEC, and the children;
// PR_SET_CHILD_SUBREAPER is preserved too (prctl(2)), and the new image sets it again anyway.
// Scheme: between the old daemon's exit and the next daemon's start (no channel open), the keeper
// clears FD_CLOEXEC on its held copies and execs `NEW __keeper --resume` with their numbers and
// keys, and the exits it could not deliver yet, in two environment variables; the new image takes
// them back and starts the next daemon from its own binary. The daemon checked the new binary's
// hand-over protocol (Handover.ProtocolVersion) before asking for the update, and protocol 2 is the
// first that understands --resume. If execve fails the old keeper carries on and starts the new
// binary as the daemon anyway, as before.

/// <summary>The keeper's re-exec into a new pmx binary on `pmx update` (see Overview).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class KeeperReexec
{
    public const string ResumeOption = "--resume";
    const string HeldVariable = "PMX_KEEPER_HELD";
    const string ExitsVariable = "PMX_KEEPER_EXITS";

    /// <summary>
    /// Replaces this process's image with <paramref name="binary"/> as a resuming keeper. Returns
    /// only on failure, with the reason; the held copies are close-on-exec again then.
    /// </summary>
    public static string Exec(string binary, IReadOnlyDictionary<string, SafeFileHandle> held, IEnumerable<string> unsentExits)
    {
        var inherited = new List<int>();
        var entries = new List<string>();
        foreach (var (key, handle) in held)
        {
            var fd = (int)handle.DangerousGetHandle();
            if (fcntl(fd, F_SETFD, 0) != 0) continue;
            inherited.Add(fd);
            entries.Add(string.Create(CultureInfo.InvariantCulture, $"{fd}={key}"));
        }
        var environment = new List<string?>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            if ((string)e.Key is not (HeldVariable or ExitsVariable)) environment.Add($"{e.Key}={e.Value}");
        // Keys are /proc link texts ("pipe:[123]"), exits "exit PID CODE STATUS": neither holds a newline.
        environment.Add(HeldVariable + "=" + string.Join('\n', entries));
        environment.Add(ExitsVariable + "=" + string.Join('\n', unsentExits));
        environment.Add(null);
        execvpe(binary, [binary, KeeperProcess.Verb, ResumeOption, null], [.. environment]);
        var reason = Describe(LastError);
        foreach (var fd in inherited) fcntl(fd, F_SETFD, FD_CLOEXEC);
        return reason;
    }

    /// <summary>In the new image: the copies and exits the old one passed (and the variables removed, so no daemon inherits them).</summary>
    public static (Dictionary<string, SafeFileHandle> Held, List<string> UnsentExits) Resume()
    {
        var held = new Dictionary<string, SafeFileHandle>(StringComparer.Ordinal);
        foreach (var entry in Take(HeldVariable))
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0 || !int.TryParse(entry[..equals], NumberStyles.None, CultureInfo.InvariantCulture, out var fd)) continue;
            // Back to close-on-exec: no daemon or worker this keeper starts may inherit them.
            if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) continue;
            held[entry[(equals + 1)..]] = new SafeFileHandle(fd, ownsHandle: true);
        }
        return (held, Take(ExitsVariable).ToList());
    }

    static string[] Take(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, null);
        return string.IsNullOrEmpty(value) ? [] : value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
