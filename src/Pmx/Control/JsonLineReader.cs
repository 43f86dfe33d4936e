namespace Pmx.Control;

/// <summary>
/// Reads '\n'-terminated lines from a stream, refusing any longer than a bound so a peer that
/// never sends a newline cannot make us buffer without end.
/// </summary>
/// <param name="bufferBytes">
/// How much one read takes. Longer lines still arrive whole; a one-request CLI process asks for
/// less than the default, because the runtime zeroes (and the kernel faults in) every byte of it.
/// </param>
internal sealed class JsonLineReader(Stream stream, int maxLineBytes, int bufferBytes = 64 * 1024)
{
    readonly byte[] _buffer = new byte[bufferBytes];
    int _start;
    int _end;

    /// <summary>
    /// The next line without its '\n'; a last line the peer ended without '\n' counts as a line;
    /// null at end of stream.
    /// </summary>
    /// <exception cref="ControlProtocolException">The line is longer than the bound.</exception>
    public async ValueTask<byte[]?> ReadLineAsync(CancellationToken ct)
    {
        MemoryStream? partial = null;
        while (true)
        {
            if (TakeLine(ref partial) is { } line) return line;
            var read = await stream.ReadAsync(_buffer, ct).ConfigureAwait(false);
            if (read == 0) return partial!.Length == 0 ? null : partial.ToArray();
            _end = read;
        }
    }

    /// <summary><see cref="ReadLineAsync"/> with blocking reads, for a caller that has nothing else to do meanwhile.</summary>
    public byte[]? ReadLine()
    {
        MemoryStream? partial = null;
        while (true)
        {
            if (TakeLine(ref partial) is { } line) return line;
            var read = stream.Read(_buffer);
            if (read == 0) return partial!.Length == 0 ? null : partial.ToArray();
            _end = read;
        }
    }

    /// <summary>The next whole line from the buffer, or null after moving what is there into <paramref name="partial"/>.</summary>
    byte[]? TakeLine(ref MemoryStream? partial)
    {
        var pending = _buffer.AsMemory(_start, _end - _start);
        var newline = pending.Span.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            var line = pending[..newline];
            _start += newline + 1;
            if (partial is null) return line.ToArray();
            Append(partial, line);
            return partial.ToArray();
        }

        partial ??= new MemoryStream();
        Append(partial, pending);
        _start = _end = 0;
        return null;
    }

    void Append(MemoryStream line, ReadOnlyMemory<byte> bytes)
    {
        if (line.Length + bytes.Length > maxLineBytes)
            throw new ControlProtocolException(
                $"pmx: a control message is longer than {maxLineBytes / (1024 * 1024)} MiB; refusing it (the peer is not a pmx of this protocol, or is misbehaving).");
        line.Write(bytes.Span);
    }
}
