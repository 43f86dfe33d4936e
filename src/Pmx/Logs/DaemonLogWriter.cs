using System.Text;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Logs;

/// <summary>
/// The detached daemon's Console.Out and Console.Error. Both already point at daemon.log (fd 1
/// and 2, opened O_APPEND by DetachedLauncher); this writer is what C# code writes through, so
/// that logging can never kill the daemon and the file stays bounded:
/// - it never throws. A line it cannot write (ENOSPC, EIO) is counted, the first few are kept in
///   memory, and the next write that works puts one "[pmx: N daemon log lines …]" line and the
///   kept ones first. (Console.Error.WriteLine throwing on a full disk inside a log error report
///   is how a full disk used to take the daemon down.)
/// - past <see cref="DefaultMaxBytes"/> it copies the file to daemon.log.1 and empties it in
///   place, so fd 1/2 and `tail -F` keep working; if the copy fails (full disk) the old lines go.
/// - when daemon.log is deleted or replaced (a cleanup of PMX_HOME, logrotate without
///   copytruncate), the next write opens a new daemon.log and dup2's it onto the descriptors the
///   writer was given, so C# logging, fd 1/2 and a FailFast's last words all land in the file a
///   user can read, never in an unlinked inode (LogFile does the same for logs/).
/// Lines from different threads never interleave: whole lines are written under one lock.
/// </summary>
/// <param name="file">Where lines go (fd 2 for the daemon); reopening replaces what it refers to.</param>
/// <param name="alsoOnto">Other descriptors that must follow a reopen (fd 1 for the daemon).</param>
internal sealed class DaemonLogWriter(SafeFileHandle file, string path, long maxBytes = DaemonLogWriter.DefaultMaxBytes, params int[] alsoOnto) : TextWriter
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;
    const int KeptWhileFailing = 20;

    readonly Lock _gate = new();
    readonly StringBuilder _partial = new();
    readonly Queue<string> _kept = new();
    long _droppedLines;
    string _reason = "";

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Points Console.Out and Console.Error of the detached daemon at daemon.log through this writer.</summary>
    public static void Install(string daemonLogPath)
    {
        if (OperatingSystem.IsWindows())
        {
            // The Windows daemon is started with no handles at all (WindowsDetachedLauncher): it opens the log itself.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(daemonLogPath))!);
            var file = File.OpenHandle(daemonLogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            var log = new DaemonLogWriter(file, daemonLogPath);
            Console.SetOut(log);
            Console.SetError(log);
            return;
        }
        var stderr = new SafeFileHandle(2, ownsHandle: false);
        // `pmx daemon` run by hand (or by a test) may write to a pipe or a terminal: positional
        // writes and size checks need a file, and there is no file to bound, so the console stays.
        if (!IsSeekable(stderr)) return;
        var writer = new DaemonLogWriter(stderr, daemonLogPath, DefaultMaxBytes, 1);
        Console.SetOut(writer);
        Console.SetError(writer);
    }

    static bool IsSeekable(SafeFileHandle handle)
    {
        try
        {
            RandomAccess.GetLength(handle);
            return true;
        }
        catch (Exception e) when (e is NotSupportedException or IOException)
        {
            return false;
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _partial.Append(value);
            if (value == '\n') WriteCompleteLines();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate)
        {
            _partial.Append(value);
            if (value.Contains('\n')) WriteCompleteLines();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _partial.Append(value).Append('\n');
            WriteCompleteLines();
        }
    }

    void WriteCompleteLines()
    {
        var text = _partial.ToString();
        var end = text.LastIndexOf('\n') + 1;
        _partial.Remove(0, end);
        var lines = text[..end];
        if (OperatingSystem.IsLinux()) FollowPath();
        if (_droppedLines > 0)
        {
            if (!TryWrite(Recap())) { Keep(lines); return; }
            _droppedLines = 0;
            _kept.Clear();
        }
        if (!TryWrite(lines)) { Keep(lines); return; }
        KeepBounded();
    }

    string Recap()
    {
        var recap = new StringBuilder($"pmx: {_droppedLines} daemon log line(s) could not be written ({_reason})");
        recap.Append(_kept.Count == 0 ? ".\n" : $"; the first {_kept.Count} write(s) follow:\n");
        foreach (var kept in _kept) recap.Append(kept);
        return recap.ToString();
    }

    void Keep(string lines)
    {
        _droppedLines += lines.Count(c => c == '\n');
        if (_kept.Count < KeptWhileFailing) _kept.Enqueue(lines);
    }

    bool TryWrite(string text)
    {
        try
        {
            // fd 2 is O_APPEND: pwrite appends whatever the offset says (pwrite(2), BUGS). Windows
            // has no such mode for a positional write; this writer is the file's only writer there.
            var offset = OperatingSystem.IsWindows() ? RandomAccess.GetLength(file) : 0;
            RandomAccess.Write(file, Encoding.UTF8.GetBytes(text), fileOffset: offset);
            return true;
        }
        catch (IOException e)
        {
            _reason = LogDropCount.Describe(e);
            return false;
        }
    }

    /// <summary>Reopens daemon.log onto the writer's descriptors when the file at the path is gone or another one.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    void FollowPath()
    {
        if (TryIdentify(file) is not { } written) return;
        if (TryIdentify(path) is { } atPath && atPath.IsSameFileAs(written)) return;
        try
        {
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; /* the old file keeps the lines */ }
        var fresh = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0b110_100_000); // 0640
        if (fresh < 0) return;
        try
        {
            var added = false;
            file.DangerousAddRef(ref added);
            try
            {
                // dup2 clears FD_CLOEXEC on the target: fd 1/2 stay what a child of the daemon inherits, as before.
                dup2(fresh, (int)file.DangerousGetHandle());
                foreach (var fd in alsoOnto) dup2(fresh, fd);
            }
            finally { if (added) file.DangerousRelease(); }
        }
        finally { new SafeFileHandle(fresh, ownsHandle: true).Dispose(); }
    }

    void KeepBounded()
    {
        try
        {
            if (RandomAccess.GetLength(file) <= maxBytes) return;
            var previous = path + ".1";
            try { File.Copy(path, previous, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Most likely the disk is full: a half copy helps nobody, the space does.
                try { File.Delete(previous); } catch (IOException) { }
            }
            RandomAccess.SetLength(file, 0);
            TryWrite($"pmx: daemon.log passed {maxBytes / (1024 * 1024)} MiB; earlier lines are in {previous} if there was room to keep them.\n");
        }
        catch (IOException) { /* bounded next time */ }
    }
}
