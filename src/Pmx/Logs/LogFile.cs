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
/// </summary>
internal sealed class LogFile(string path) : LogTarget
{
    const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    const UnixFileMode FolderMode0750 = FileMode0640 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;
    const int FlushThresholdBytes = 256 * 1024;

    readonly ArrayBufferWriter<byte> _pending = new();
    FileStream? _stream;
    long _sizeBytes;
    bool _isSizeKnown;
    string? _lastError;

    public string Path { get; } = path;

    /// <summary>0 disables rotation. Updated when an app is reconfigured; read on the writer thread.</summary>
    public long MaxSizeBytes { get; set; }
    public int Retain { get; set; }

    public override void Append(ReadOnlySpan<byte> line)
    {
        if (!EnsureOpen()) return;
        if (!_isSizeKnown) { _sizeBytes = RandomAccess.GetLength(_stream!.SafeFileHandle); _isSizeKnown = true; }
        var sizeAfter = _sizeBytes + _pending.WrittenCount + line.Length;
        if (MaxSizeBytes > 0 && sizeAfter > MaxSizeBytes && _sizeBytes + _pending.WrittenCount > 0)
        {
            Flush();
            Rotate();
            if (!EnsureOpen()) return;
        }
        _pending.Write(line);
        if (_pending.WrittenCount >= FlushThresholdBytes) Flush();
    }

    public override void Flush()
    {
        // The next batch re-reads the size: someone may have truncated the file in between.
        _isSizeKnown = false;
        if (_pending.WrittenCount == 0 || _stream is null) { _pending.Clear(); return; }
        try
        {
            // With O_APPEND, Linux pwrite(2) appends whatever the offset says (see its BUGS section).
            RandomAccess.Write(_stream.SafeFileHandle, _pending.WrittenSpan, fileOffset: 0);
            _sizeBytes += _pending.WrittenCount;
        }
        catch (IOException e)
        {
            Report($"cannot write to log file {Path}: {e.Message}. These lines are lost; pmx retries with the next ones.");
            CloseStream();
        }
        _pending.Clear();
    }

    public override void Close()
    {
        Flush();
        CloseStream();
    }

    void Rotate()
    {
        CloseStream();
        try
        {
            LogRotation.Rotate(Path, Retain);
        }
        catch (IOException e)
        {
            Report($"cannot rotate log file {Path}: {e.Message}. Writing on in the same file.");
        }
        catch (UnauthorizedAccessException e)
        {
            Report($"cannot rotate log file {Path}: {e.Message}. Writing on in the same file.");
        }
    }

    bool EnsureOpen()
    {
        if (_stream is not null) return true;
        try
        {
            var folder = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder, FolderMode0750);
            var stream = new FileStream(Path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite | FileShare.Delete,
                UnixCreateMode = FileMode0640,
            });
            // .NET opens without O_APPEND (it emulates FileMode.Append by seeking); add it so a
            // truncation by `pmx flush` is followed (see the class comment).
            if (!TryAddStatusFlags((int)stream.SafeFileHandle.DangerousGetHandle(), O_APPEND))
            {
                stream.Dispose();
                throw new IOException("fcntl(O_APPEND) failed");
            }
            _stream = stream;
            _isSizeKnown = false;
            _lastError = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report($"cannot open log file {Path}: {e.Message}. Check the folder exists and is writable; lines for it are dropped until it is.");
            return false;
        }
    }

    void CloseStream()
    {
        _stream?.Dispose();
        _stream = null;
        _isSizeKnown = false;
    }

    /// <summary>Says each distinct problem once (to the daemon log), not once per line.</summary>
    void Report(string message)
    {
        if (message == _lastError) return;
        _lastError = message;
        Console.Error.WriteLine($"pmx: {message}");
    }
}
