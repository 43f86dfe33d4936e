using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Keeper;

/// <summary>
/// One end of the keeper ↔ daemon socket (AF_UNIX SOCK_SEQPACKET): one short ASCII message per
/// packet, "verb arg…", optionally carrying one descriptor (SCM_RIGHTS).
/// </summary>
/// <remarks>
/// Messages. Daemon → keeper: "hold KEY" + fd (keep a copy), "drop KEY" (close it), "adopted"
/// (this daemon holds its own copies), "bye" (exiting on purpose: so does the keeper), "update
/// PATH" (`pmx update`: start PATH as the next daemon once this one has exited).
/// Keeper → daemon: "held KEY" + fd (a copy handed back to a new daemon), "ready" (no more held
/// copies follow), "exit PID CODE STATUS" (the keeper reaped a re-parented worker: waitid's
/// si_code and si_status).
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class KeeperChannel(SafeFileHandle socket) : IDisposable
{
    /// <summary>The environment variable naming the daemon's end of the channel (a descriptor number).</summary>
    public const string FdVariable = "PMX_KEEPER_FD";
    const int MaxMessageBytes = 4096 + 16; // "update " and a PATH_MAX path

    readonly SafeFileHandle _socket = socket;
    readonly byte[] _buffer = new byte[MaxMessageBytes];
    readonly Lock _sendGate = new();

    public SafeFileHandle Handle => _socket;

    /// <summary>False when the peer is gone (EPIPE, ECONNRESET) or the socket is closed.</summary>
    public bool Send(string message, SafeHandle? descriptor = null)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        lock (_sendGate)
        {
            if (_socket.IsClosed) return false;
            while (true)
            {
                var sent = descriptor is null
                    ? SendPlain(_socket, bytes)
                    : SendWithDescriptor(_socket, bytes, (int)descriptor.DangerousGetHandle());
                if (sent >= 0) return true;
                if (LastError != Errno.EINTR) return false;
            }
        }
    }

    /// <summary>The next message, blocking; null once the peer has closed. <paramref name="descriptor"/> is the fd it carried (caller owns it) or null.</summary>
    public string? Receive(out SafeFileHandle? descriptor)
    {
        descriptor = null;
        while (true)
        {
            var received = ReceiveWithDescriptor(_socket, _buffer, out var fd);
            if (received < 0 && LastError == Errno.EINTR) continue;
            if (fd >= 0) descriptor = new SafeFileHandle(fd, ownsHandle: true);
            if (received > 0) return Encoding.ASCII.GetString(_buffer, 0, received);
            descriptor?.Dispose();
            descriptor = null;
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
