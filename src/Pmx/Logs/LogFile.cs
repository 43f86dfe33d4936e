using System.Buffers;
using static Pmx.Interop.Interop;

namespace Pmx.Logs;

/// <summary>
/// One log file on disk, rotated by size. Written only by the log writer thread.
/// The file is opened with O_APPEND so `pmx flush` (another process) can truncate it at any time:
/// the next write lands at the new end instead of leaving a hole of zeros where the old end was.
/// The size is re-read from the file at the start of every batch for the same reason.
/// Rotation happens only between whole lines: if the next line would take the file past the
/// limit, the file is closed, renamed to `.1` (see <see cref="LogRotation"/>) and a fresh one
/// started. A single line larger than the limit still goes into a file of its own.
/// A write that fails (a full disk, a quota, an I/O error) never stops the daemon: the lines are
/// counted in <see cref="LogDropCount"/>, the daemon log hears about it once, and the first
/// write that works again is preceded by one "[pmx: N lines dropped: why]" line. Every batch
/// also checks that the open file is still the one at <see cref="Path"/>: after someone deletes
/// `logs/` (or the file), the writer recreates it instead of writing into an unlinked inode.
/// </summary>
internal sealed class LogFile(string path) : LogTarget
{
    const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    const UnixFileMode FolderMode0750 = FileMode0640 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;
    const int FlushThresholdBytes = 256 * 1024;

    readonly ArrayBufferWriter<byte> _pending = new();
    readonly LogDropCount _dropped = new(path);
    int _pendingLines;
    FileStream? _stream;
    FileIdentity? _identity;
    long _sizeBytes;
    BatchState _batch;

    /// <summary>Where the current batch stands; a new batch starts after every <see cref="Flush"/>.</summary>
    enum BatchState { Idle, Writing, Unavailable }

    public string Path { get; } = path;

    /// <summary>0 disables rotation. Updated when an app is reconfigured; read on the writer thread.</summary>
    public long MaxSizeBytes { get; set; }
    public int Retain { get; set; }

    /// <summary>How pmx's own lines (the drop marker) are stamped; null writes them bare.</summary>
    public LogLineFormat? Format { get; set; }

    public override void Append(ReadOnlySpan<byte> line)
    {
        if (_batch == BatchState.Idle) _batch = TryStartBatch() ? BatchState.Writing : BatchState.Unavailable;
        // An empty append only opens (creates) the file; it is no line to count or write.
        if (line.IsEmpty) return;
        if (_batch == BatchState.Unavailable) { _dropped.Add(1); return; }
        var sizeBefore = _sizeBytes + _pending.WrittenCount;
        if (MaxSizeBytes > 0 && sizeBefore + line.Length > MaxSizeBytes && sizeBefore > 0)
        {
            WritePending();
            Rotate();
            if (!TryOpen()) { _batch = BatchState.Unavailable; _dropped.Add(1); return; }
        }
        _pending.Write(line);
        _pendingLines++;
        if (_pending.WrittenCount >= FlushThresholdBytes) WritePending();
    }

    public override void Flush()
    {
        WritePending();
        // The next batch re-reads the size (someone may have truncated the file) and re-checks the path.
        _batch = BatchState.Idle;
    }

    public override void Close()
    {
        Flush();
        // No later line will carry the marker (the worker is gone): write it alone if the disk lets us.
        if (_dropped.Lines > 0 && TryStartBatch() && TryWrite(_dropped.Marker(Format))) _dropped.Recovered();
        _batch = BatchState.Idle;
        CloseStream();
    }

    bool TryStartBatch()
    {
        if (_stream is not null && !IsStillAtPath()) CloseStream();
        return TryOpen();
    }

    /// <summary>False once the file at <see cref="Path"/> is gone or is another file (deleted, renamed, replaced).</summary>
    bool IsStillAtPath()
    {
        if (_identity is not { } open || !OperatingSystem.IsLinux()) return File.Exists(Path);
        return TryIdentify(Path) is { } atPath && atPath.IsSameFileAs(open);
    }

    void WritePending()
    {
        if (_pending.WrittenCount == 0) return;
        if (_dropped.Lines > 0)
        {
            if (TryWrite(_dropped.Marker(Format))) _dropped.Recovered();
            else { _dropped.Add(_pendingLines); ClearPending(); return; }
        }
        if (!TryWrite(_pending.WrittenSpan)) _dropped.Add(_pendingLines);
        ClearPending();
    }

    void ClearPending()
    {
        _pending.Clear();
        _pendingLines = 0;
    }

    bool TryWrite(ReadOnlySpan<byte> bytes)
    {
        if (_stream is null) return false;
        try
        {
            // With O_APPEND, Linux pwrite(2) appends whatever the offset says (see its BUGS section).
            // Windows has no O_APPEND for it: the offset is the end, as this writer knows it.
            RandomAccess.Write(_stream.SafeFileHandle, bytes, fileOffset: OperatingSystem.IsWindows() ? _sizeBytes : 0);
            _sizeBytes += bytes.Length;
            return true;
        }
        catch (IOException e)
        {
            _dropped.Failed(LogDropCount.Describe(e));
            UndoPartialWrite();
            // Reopened at the next batch: a fresh descriptor recovers from more than ENOSPC does.
            CloseStream();
            return false;
        }
    }

    /// <summary>A write cut short by ENOSPC leaves half a line; cut it off so the file keeps whole lines.</summary>
    void UndoPartialWrite()
    {
        try
        {
            if (RandomAccess.GetLength(_stream!.SafeFileHandle) > _sizeBytes) RandomAccess.SetLength(_stream.SafeFileHandle, _sizeBytes);
        }
        catch (IOException) { /* the next batch re-reads the size anyway */ }
    }

    void Rotate()
    {
        CloseStream();
        try
        {
            LogRotation.Rotate(Path, Retain);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDropCount.Report($"cannot rotate log file {Path}: {e.Message}. Writing on in the same file.");
        }
    }

    /// <summary>Opens the file if needed (creating its folder) and reads its size.</summary>
    bool TryOpen()
    {
        try
        {
            _stream ??= Open();
            _sizeBytes = RandomAccess.GetLength(_stream.SafeFileHandle);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CloseStream();
            _dropped.Failed($"cannot open it: {e.Message}. Check the folder exists and is writable");
            return false;
        }
    }

    FileStream Open()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (OperatingSystem.IsWindows())
        {
            // No modes, no O_APPEND, no inode to compare: write at the end, and IsStillAtPath checks existence.
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            var appending = new FileStream(Path, options);
            appending.Seek(0, SeekOrigin.End);
            return appending;
        }
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("pmx writes logs on Linux and Windows only");
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder, FolderMode0750);
        options.UnixCreateMode = FileMode0640;
        var stream = new FileStream(Path, options);
        // .NET opens without O_APPEND (it emulates FileMode.Append by seeking); add it so a
        // truncation by `pmx flush` is followed (see the class comment).
        if (!TryAddStatusFlags((int)stream.SafeFileHandle.DangerousGetHandle(), O_APPEND))
        {
            stream.Dispose();
            throw new IOException("fcntl(O_APPEND) failed");
        }
        _identity = TryIdentify(stream.SafeFileHandle);
        return stream;
    }

    void CloseStream()
    {
        _stream?.Dispose();
        _stream = null;
        _identity = null;
    }
}
