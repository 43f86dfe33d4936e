using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Pmx.Interop;

/// <summary>Windows entry points in ws2_32 (Winsock).</summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class Ws2_32
{
    internal const string Library = "ws2_32.dll";

    /// <summary>sizeof(WSAPROTOCOL_INFOW): what a duplicate of a socket for another process is described by.</summary>
    internal const int ProtocolInfoSize = 628;

    [LibraryImport(Library, EntryPoint = "WSADuplicateSocketW", SetLastError = true)]
    private static partial int WSADuplicateSocket(SafeHandle socket, int targetProcessId, byte* protocolInfo);

    /// <summary>
    /// Fills <paramref name="protocolInfo"/> (ProtocolInfoSize bytes) with a duplicate of
    /// <paramref name="socket"/> that process <paramref name="targetProcessId"/> can open; pmx
    /// keeps its own. False (error in Marshal.GetLastPInvokeError) when Winsock refuses.
    /// </summary>
    internal static bool DuplicateSocket(SafeHandle socket, int targetProcessId, Span<byte> protocolInfo)
    {
        if (protocolInfo.Length < ProtocolInfoSize) throw new ArgumentException("too small for WSAPROTOCOL_INFOW", nameof(protocolInfo));
        fixed (byte* info = protocolInfo) return WSADuplicateSocket(socket, targetProcessId, info) == 0;
    }
}
