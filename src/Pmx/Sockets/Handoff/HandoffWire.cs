using System.Globalization;

namespace Pmx.Sockets.Handoff;

/// <summary>
/// The line protocol on a worker's hand-off pipe (PMX_HANDOFF_PIPE, Windows), shared word for
/// word by the daemon and by Pmx.Hosting in the app (this file is compiled into both).
/// </summary>
/// <remarks>
/// Overview: Windows gives a child no fd 3 and Wine refuses inherited sockets, so the daemon hands
/// each worker its own duplicate of the app's listening socket (WSADuplicateSocketW for the
/// worker's pid) over a named pipe only the current user may open. Everything on the pipe is a
/// UTF-8 line ending in '\n':
///   daemon → app: SOCKET=&lt;base64 WSAPROTOCOL_INFOW&gt; once, or ERROR=&lt;why&gt;; later STOP (drain and exit).
///   app → daemon: sd_notify assignments (READY=1, STATUS=…, STOPPING=1), parsed as sd_notify's.
/// </remarks>
internal static class HandoffWire
{
    /// <summary>The worker's environment variable naming its pipe (the bare name, without \\.\pipe\).</summary>
    public const string PipeVariable = "PMX_HANDOFF_PIPE";

    /// <summary>sizeof(WSAPROTOCOL_INFOW).</summary>
    public const int ProtocolInfoSize = 628;

    public const string StopLine = "STOP";
    public const string ReadyLine = "READY=1";
    public const string StoppingLine = "STOPPING=1";
    const string SocketPrefix = "SOCKET=";
    const string ErrorPrefix = "ERROR=";

    /// <summary>Unique per worker; the daemon's pid keeps two daemons (two PMX_HOMEs) apart in a listing of pipes.</summary>
    public static string PipeName(int daemonPid, Guid worker) =>
        string.Create(CultureInfo.InvariantCulture, $"pmx-handoff-{daemonPid}-{worker:N}");

    public static string SocketLine(ReadOnlySpan<byte> protocolInfo)
    {
        if (protocolInfo.Length != ProtocolInfoSize)
            throw new ArgumentException($"a WSAPROTOCOL_INFOW is {ProtocolInfoSize} bytes, not {protocolInfo.Length}", nameof(protocolInfo));
        return SocketPrefix + Convert.ToBase64String(protocolInfo);
    }

    /// <summary>One line whatever the message holds: a newline inside would end the line early.</summary>
    public static string ErrorLine(string message) => ErrorPrefix + message.ReplaceLineEndings(" ");

    /// <summary>What the daemon's first line says: the socket, or why there is none.</summary>
    public static HandoffAnswer ParseAnswer(string? line)
    {
        if (line is null) return new HandoffAnswer(null, "pmx closed the hand-off pipe before sending the socket");
        if (line.StartsWith(ErrorPrefix, StringComparison.Ordinal)) return new HandoffAnswer(null, line[ErrorPrefix.Length..]);
        if (!line.StartsWith(SocketPrefix, StringComparison.Ordinal))
            return new HandoffAnswer(null, $"pmx sent '{Shorten(line)}' where SOCKET= was expected");
        var bytes = new byte[ProtocolInfoSize];
        if (!Convert.TryFromBase64String(line[SocketPrefix.Length..], bytes, out var written) || written != ProtocolInfoSize)
            return new HandoffAnswer(null, $"pmx's SOCKET= line does not hold a {ProtocolInfoSize}-byte WSAPROTOCOL_INFOW");
        return new HandoffAnswer(bytes, null);
    }

    static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";
}

/// <summary>The daemon's first line, read: a WSAPROTOCOL_INFOW, or the reason it did not come.</summary>
internal sealed record HandoffAnswer(byte[]? ProtocolInfo, string? Error);
