using System.ComponentModel;
using static Pmx.Interop.Interop;

namespace Pmx.Control;

/// <summary>
/// <see cref="ControlClient.SendLine"/> on Linux: the same exchange, deadlines and messages over
/// <see cref="UnixSocketStream"/> (plain socket, connect, read and write calls) instead of
/// System.Net.Sockets, whose start-up a one-request CLI process would pay for nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class UnixSocketExchange
{
    /// <inheritdoc cref="ControlClient.SendLine"/>
    public static byte[] SendLine(string socketPath, byte[] requestLine, Func<byte[], bool> isResult)
    {
        var command = ControlRequestVerb.Of(requestLine);
        var deadlines = ClientDeadlines.For(command);
        if (!File.Exists(socketPath)) throw new DaemonNotRunningException(socketPath);
        using var stream = Connect(socketPath, deadlines);
        try { stream.Write(requestLine); }
        catch (Win32Exception) { /* as ControlClient does: read what the daemon sent before it hung up (or the read's deadline says it is stuck) */ }

        var reader = new JsonLineReader(stream, ControlProtocol.MaxLineBytes, bufferBytes: 4096);
        while (ReadLine(reader, socketPath, command, deadlines) is { } line)
            if (isResult(line)) return line;
        throw ControlFailures.ClosedWithoutAnswer(socketPath, inner: null);
    }

    static UnixSocketStream Connect(string socketPath, ClientDeadlines deadlines)
    {
        try { return UnixSocketStream.Connect(ControlSocket.PathBytes(socketPath), deadlines.Connect, deadlines.Answer); }
        catch (Win32Exception e)
        {
            throw (Errno)e.NativeErrorCode switch
            {
                // SO_SNDTIMEO ran out while the listener's backlog stayed full.
                Errno.EAGAIN or Errno.ETIMEDOUT => ControlFailures.ConnectTimedOut(socketPath, deadlines, e),
                // Nobody listens on the file (a daemon that died without deleting it), or it vanished since the check.
                Errno.ECONNREFUSED or Errno.ENOENT => new DaemonNotRunningException(socketPath, e),
                var errno => new IOException($"pmx: cannot connect to the daemon at {socketPath}: {Describe(errno)}.", e),
            };
        }
    }

    static byte[]? ReadLine(JsonLineReader reader, string socketPath, string? command, ClientDeadlines deadlines)
    {
        try { return reader.ReadLine(); }
        catch (Win32Exception e) when ((Errno)e.NativeErrorCode == Errno.EAGAIN && deadlines.Answer is { } answer)
        {
            throw ControlFailures.NoAnswer(socketPath, command, answer, e);
        }
        catch (Win32Exception e) { throw ControlFailures.ClosedWithoutAnswer(socketPath, e); }
    }
}
