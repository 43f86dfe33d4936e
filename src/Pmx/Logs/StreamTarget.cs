namespace Pmx.Logs;

/// <summary>
/// The foreground console (`pmx up --no-daemon`). Written only by the log writer thread, so lines
/// of different workers never interleave, and a slow terminal or `docker logs` reader slows the
/// writer, never the pump or a worker.
/// </summary>
internal sealed class StreamTarget(Stream stream) : LogTarget
{
    readonly MemoryStream _pending = new();
    bool _hasFailed;

    public override void Append(ReadOnlySpan<byte> line) => _pending.Write(line);

    public override void Flush()
    {
        if (_pending.Length == 0) return;
        try
        {
            if (!_hasFailed) stream.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
            stream.Flush();
        }
        catch (IOException e)
        {
            // A closed stdout (EPIPE) must not take the supervisor down; say it once.
            if (!_hasFailed) Console.Error.WriteLine($"pmx: cannot write worker output to the console: {e.Message}. Further console output is dropped.");
            _hasFailed = true;
        }
        _pending.SetLength(0);
    }

    public override void Close() => Flush();
}
