using System.Runtime.Versioning;

namespace Pmx.Control;

internal static partial class ControlClient
{
    /// <summary>
    /// <see cref="Exchange"/> over the control pipe. A pipe has no kernel receive timeout, so the
    /// answer deadline cancels the pending read instead (per line, as SO_RCVTIMEO is per read).
    /// </summary>
    [SupportedOSPlatform("windows")]
    static byte[] ExchangeOverPipe(string socketPath, byte[] requestLine, Func<byte[], bool> isResult, string? command, ClientDeadlines deadlines)
    {
        using var pipe = ControlPipe.Connect(socketPath, deadlines.Connect);
        try { pipe.Write(requestLine); }
        catch (IOException) { /* as on Linux: read what the daemon sent before it hung up */ }

        var reader = new JsonLineReader(pipe, ControlProtocol.MaxLineBytes);
        while (true)
        {
            using var deadline = new CancellationTokenSource();
            if (deadlines.Answer is { } answer) deadline.CancelAfter(answer);
            byte[]? line;
            try { line = reader.ReadLineAsync(deadline.Token).AsTask().GetAwaiter().GetResult(); }
            catch (OperationCanceledException e) { throw ControlFailures.NoAnswer(socketPath, command, deadlines.Answer!.Value, e); }
            catch (IOException e) { throw ClosedWithoutAnswer(socketPath, e); }
            if (line is null) throw ClosedWithoutAnswer(socketPath, inner: null);
            if (isResult(line)) return line;
        }
    }
}
