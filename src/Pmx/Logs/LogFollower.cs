namespace Pmx.Logs;

// Overview
// Constraints: `pmx logs --follow` runs in another process than the writer, with no channel to
// it, and must print every line exactly once while the writer rotates (renames x.log to x.log.1
// and starts a fresh x.log) or `pmx flush` truncates the file.
// Scheme: keep the file open by handle and remember the name the kernel gives that handle
// (readlink /proc/self/fd/N). Each poll reads what was appended since the last one. A shrunken
// file was truncated: start again at 0. A changed name means the file was rotated away (x.log.1)
// or deleted: the writer renames only after its last write to it, so reading the handle to its
// end gets the old file's tail; files rotated after it (x.log.(k-1) … x.log.1 when ours is now
// x.log.k, i.e. we slept through several rotations) are read whole; then x.log is opened from 0.
// Exact as long as a poll happens before the kept rotations run out; a file deleted unread is
// reported in place of its lines.

/// <summary>Follows one log file by path across rotation and truncation (see Overview).</summary>
internal sealed class LogFollower(string path, long startOffset) : IDisposable
{
    const int ChunkBytes = 64 * 1024;

    readonly byte[] _buffer = new byte[ChunkBytes];
    readonly LineSplitter _splitter = new();
    FileStream? _file;
    string? _openedAs;
    long _offset = startOffset;

    public string Path { get; } = path;

    /// <summary>Delivers every complete line appended since the last call (lines only; OnClosed is never called).</summary>
    public void Poll(ILineSink sink)
    {
        if (_file is null && !TryOpen()) return;
        if (_file!.Length < _offset) _offset = 0; // truncated by `pmx flush` (or by hand)
        ReadToEnd(sink);
        var nameNow = NameOfHandle(_file);
        if (nameNow == _openedAs) return;

        var currentName = _openedAs; // the kernel's spelling of Path (symlinks resolved)
        ReadToEnd(sink);
        _splitter.Flush(sink);
        CloseFile();
        ReadRotatedAfter(currentName, nameNow, sink);
        _offset = 0;
        if (TryOpen()) ReadToEnd(sink);
    }

    public void Dispose() => CloseFile();

    void ReadRotatedAfter(string? currentName, string? nameNow, ILineSink sink)
    {
        var prefix = currentName + ".";
        if (currentName is null || nameNow is null || !nameNow.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(nameNow.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, null, out var generation))
        {
            if (nameNow is not null && nameNow.EndsWith(" (deleted)", StringComparison.Ordinal) && File.Exists(LogRotation.RotatedPath(Path, 1)))
                sink.OnLine("[pmx logs: the file was rotated away and deleted before it was read; lines may be missing here]"u8);
            return;
        }
        for (var newer = generation - 1; newer >= 1; newer--)
        {
            _offset = 0;
            if (!TryOpen(LogRotation.RotatedPath(Path, newer))) continue;
            ReadToEnd(sink);
            _splitter.Flush(sink);
            CloseFile();
        }
    }

    bool TryOpen(string? which = null)
    {
        try
        {
            _file = new FileStream(which ?? Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            _openedAs = NameOfHandle(_file);
            return true;
        }
        catch (FileNotFoundException) { return false; } // between a rotation's rename and the next line
        catch (DirectoryNotFoundException) { return false; }
    }

    void ReadToEnd(ILineSink sink)
    {
        while (true)
        {
            var read = RandomAccess.Read(_file!.SafeFileHandle, _buffer, _offset);
            if (read == 0) return;
            _offset += read;
            _splitter.Push(_buffer.AsSpan(0, read), sink);
        }
    }

    void CloseFile()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>The kernel's current name for the open file; it changes on rename and gains " (deleted)" on unlink.</summary>
    static string? NameOfHandle(FileStream file)
    {
        try { return new FileInfo($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}").LinkTarget; }
        catch (IOException) { return null; }
    }
}
