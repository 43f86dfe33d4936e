namespace Pmx.Logs;

/// <summary>
/// The last N lines of a log file, found by reading backwards from the end in chunks, so a
/// 100 MB file costs a few reads, not 100 MB.
/// </summary>
internal static class LogTail
{
    const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// The bytes of the last <paramref name="lineCount"/> lines (newlines included; a last line
    /// without newline counts as a line) and the file length they end at, where following starts.
    /// </summary>
    public static (byte[] Bytes, long EndOffset) Read(string path, int lineCount)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var end = file.Length;
        var start = StartOfLastLines(file.SafeFileHandle, end, lineCount);
        var bytes = new byte[end - start];
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = RandomAccess.Read(file.SafeFileHandle, bytes.AsSpan(filled), start + filled);
            if (read == 0) break; // truncated while we read
            filled += read;
        }
        return (filled == bytes.Length ? bytes : bytes[..filled], start + filled);
    }

    static long StartOfLastLines(Microsoft.Win32.SafeHandles.SafeFileHandle file, long end, int lineCount)
    {
        if (lineCount <= 0 || end == 0) return end;
        var chunk = new byte[ChunkBytes];
        var newlinesWanted = lineCount;
        var position = end;
        var isLastByte = true;
        while (position > 0)
        {
            var size = (int)Math.Min(ChunkBytes, position);
            position -= size;
            var read = RandomAccess.Read(file, chunk.AsSpan(0, size), position);
            var span = chunk.AsSpan(0, read);
            for (var i = span.Length - 1; i >= 0; i--)
            {
                if (span[i] != (byte)'\n') { isLastByte = false; continue; }
                // The newline that ends the file closes the last line; it does not start one.
                if (isLastByte) { isLastByte = false; continue; }
                if (--newlinesWanted == 0) return position + i + 1;
            }
        }
        return 0;
    }
}
