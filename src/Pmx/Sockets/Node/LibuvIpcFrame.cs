using System.Buffers;
using System.Buffers.Binary;

namespace Pmx.Sockets.Node;

/// <summary>
/// libuv's framing of Node's IPC channel on Windows (deps/uv/src/win/pipe.c): every write is a
/// 16-byte little-endian header {u32 flags; u32 reserved; u32 data_length; u32 reserved (0)},
/// then, when a socket travels, its transfer record (WSAPROTOCOL_INFOW followed by a u32
/// delayed_error), then data_length bytes of the message stream (JSON lines in "json" mode).
/// </summary>
internal static class LibuvIpcFrame
{
    public const int HeaderSize = 16;
    public const int ProtocolInfoSize = 628;
    /// <summary>WSAPROTOCOL_INFOW + delayed_error.</summary>
    public const int SocketTransferSize = ProtocolInfoSize + 4;

    public const uint HasData = 1;
    public const uint HasSocketTransfer = 2;
    /// <summary>Set for an accepted connection; clear for a listening socket (a server).</summary>
    public const uint TransferIsTcpConnection = 4;
    const uint ValidFlags = HasData | HasSocketTransfer | TransferIsTcpConnection;

    /// <summary>One frame: <paramref name="data"/>, with a listening socket's WSAPROTOCOL_INFOW when <paramref name="protocolInfo"/> is not empty.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data, ReadOnlySpan<byte> protocolInfo = default)
    {
        if (!protocolInfo.IsEmpty && protocolInfo.Length != ProtocolInfoSize)
            throw new ArgumentException($"a WSAPROTOCOL_INFOW is {ProtocolInfoSize} bytes, not {protocolInfo.Length}", nameof(protocolInfo));
        var transfer = protocolInfo.IsEmpty ? 0 : SocketTransferSize;
        var frame = new byte[HeaderSize + transfer + data.Length];
        var flags = (data.IsEmpty ? 0 : HasData) | (transfer > 0 ? HasSocketTransfer : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, flags);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)data.Length);
        // delayed_error stays 0: the socket is bound and listening already.
        protocolInfo.CopyTo(frame.AsSpan(HeaderSize));
        data.CopyTo(frame.AsSpan(HeaderSize + transfer));
        return frame;
    }

    /// <summary>Checks a header the way libuv does; returns the transfer record's size (0 or SocketTransferSize) and the data length.</summary>
    public static (int TransferSize, int DataLength) ReadHeader(ReadOnlySpan<byte> header)
    {
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var dataLength = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var reserved2 = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if ((flags & ~ValidFlags) != 0 || reserved2 != 0 || ((flags & HasData) == 0 && dataLength != 0)
            || (flags & (HasSocketTransfer | TransferIsTcpConnection)) == TransferIsTcpConnection || dataLength > int.MaxValue)
            throw new InvalidDataException($"not a libuv IPC frame header (flags {flags:x}, length {dataLength}, reserved {reserved2:x})");
        return ((flags & HasSocketTransfer) != 0 ? SocketTransferSize : 0, (int)dataLength);
    }
}

/// <summary>
/// Turns the raw bytes of a libuv IPC pipe back into the message stream, across reads that split
/// frames anywhere. A socket a worker sends pmx is skipped: pmx never asks for one.
/// </summary>
internal sealed class LibuvIpcFrameReader
{
    readonly byte[] _header = new byte[LibuvIpcFrame.HeaderSize];
    int _headerFilled;
    int _transferLeft;
    int _dataLeft;

    /// <summary>Appends the data bytes found in <paramref name="bytes"/> to <paramref name="data"/>. Throws InvalidDataException on a broken frame.</summary>
    public void Push(ReadOnlySpan<byte> bytes, IBufferWriter<byte> data)
    {
        while (!bytes.IsEmpty)
        {
            if (_transferLeft > 0)
            {
                var skip = Math.Min(_transferLeft, bytes.Length);
                _transferLeft -= skip;
                bytes = bytes[skip..];
            }
            else if (_dataLeft > 0)
            {
                var take = Math.Min(_dataLeft, bytes.Length);
                data.Write(bytes[..take]);
                _dataLeft -= take;
                bytes = bytes[take..];
            }
            else
            {
                var take = Math.Min(LibuvIpcFrame.HeaderSize - _headerFilled, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                bytes = bytes[take..];
                if (_headerFilled < LibuvIpcFrame.HeaderSize) return;
                _headerFilled = 0;
                (_transferLeft, _dataLeft) = LibuvIpcFrame.ReadHeader(_header);
            }
        }
    }
}
