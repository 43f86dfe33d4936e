namespace Pmx.Logs;

/// <summary>
/// Turns the chunks a pipe delivers into lines. A chunk may end mid-line: the partial line is
/// kept until its '\n' arrives or <see cref="Flush"/> is called (end of file). Lines are bytes
/// exactly as written minus the '\n'; a "\r\n" line keeps its '\r'.
/// A line longer than <see cref="MaxLineBytes"/> is cut into pieces of exactly that size, each
/// delivered as its own line, so one worker printing a huge blob without newlines cannot make the
/// daemon buffer without limit.
/// The partial-line buffer grows on demand and is given back once it held a long line, so 1000
/// idle pipes cost almost nothing.
/// </summary>
internal sealed class LineSplitter(int maxLineBytes = LineSplitter.MaxLineBytes)
{
    public const int MaxLineBytes = 64 * 1024;
    const int KeptBufferBytes = 4 * 1024;

    readonly int _maxLineBytes = maxLineBytes;
    byte[] _partial = [];
    int _partialLength;

    public bool HasPartialLine => _partialLength > 0;

    public void Push(ReadOnlySpan<byte> chunk, ILineSink sink)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendPartial(chunk, sink);
                return;
            }
            var line = chunk[..newline];
            if (_partialLength > 0)
            {
                AppendPartial(line, sink);
                EmitPartial(sink);
            }
            else
            {
                while (line.Length > _maxLineBytes)
                {
                    sink.OnLine(line[.._maxLineBytes]);
                    line = line[_maxLineBytes..];
                }
                sink.OnLine(line);
            }
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>End of input: a last line without '\n' is still a line.</summary>
    public void Flush(ILineSink sink)
    {
        if (_partialLength > 0) EmitPartial(sink);
    }

    void AppendPartial(ReadOnlySpan<byte> bytes, ILineSink sink)
    {
        while (!bytes.IsEmpty)
        {
            // Cut only when more bytes must fit, so a line of exactly MaxLineBytes is one line.
            if (_partialLength == _maxLineBytes) EmitPartial(sink);
            var take = Math.Min(bytes.Length, _maxLineBytes - _partialLength);
            Reserve(_partialLength + take);
            bytes[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            bytes = bytes[take..];
        }
    }

    void EmitPartial(ILineSink sink)
    {
        var length = _partialLength;
        _partialLength = 0;
        sink.OnLine(_partial.AsSpan(0, length));
        if (_partial.Length > KeptBufferBytes) _partial = [];
    }

    void Reserve(int needed)
    {
        if (needed <= _partial.Length) return;
        var size = Math.Min(Math.Max(Math.Max(needed, _partial.Length * 2), 256), _maxLineBytes);
        var grown = new byte[size];
        _partial.AsSpan(0, _partialLength).CopyTo(grown);
        _partial = grown;
    }
}
