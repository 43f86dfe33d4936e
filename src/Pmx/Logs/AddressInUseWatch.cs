using System.Text;

namespace Pmx.Logs;

/// <summary>
/// Passes a worker's stderr lines on, and reports the first one that says a port is taken
/// (Node's "listen EADDRINUSE: address already in use :::8080", Go's and Python's "address already
/// in use") so the supervisor can name the port and the fix. Once per worker: a crash loop says it
/// on every start, and the log file has every copy.
/// </summary>
internal sealed class AddressInUseWatch(ILineSink inner, Action<string> onAddressInUse) : ILineSink
{
    int _reported;

    public void OnLine(ReadOnlySpan<byte> line)
    {
        inner.OnLine(line);
        if (Volatile.Read(ref _reported) == 0 && SaysAddressInUse(line) && Interlocked.Exchange(ref _reported, 1) == 0)
            onAddressInUse(Encoding.UTF8.GetString(line.Length > MaxQuoted ? line[..MaxQuoted] : line).TrimEnd('\r'));
    }

    public void OnClosed() => inner.OnClosed();

    const int MaxQuoted = 512;

    public static bool SaysAddressInUse(ReadOnlySpan<byte> line) =>
        line.IndexOf("EADDRINUSE"u8) >= 0 || ContainsIgnoringCase(line);

    static bool ContainsIgnoringCase(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> phrase = "address already in use"u8;
        for (var i = 0; i + phrase.Length <= line.Length; i++)
            if (Ascii.EqualsIgnoreCase(line.Slice(i, phrase.Length), phrase)) return true;
        return false;
    }
}
