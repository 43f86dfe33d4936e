using System.Buffers.Binary;

namespace Pmx.Processes;

/// <summary>
/// The block a Windows parent puts in STARTUPINFO.cbReserved2/lpReserved2 so the child's C runtime
/// starts with fds 0..n-1 already open (what libuv's process-stdio.c builds, and how Node's IPC
/// channel reaches a child as NODE_CHANNEL_FD): an int count, then count flag bytes, then count
/// HANDLEs, packed with no padding.
/// </summary>
internal static class CrtFdBlock
{
    public const byte Open = 0x01;      // FOPEN
    public const byte Pipe = 0x08;      // FPIPE
    public const byte Device = 0x40;    // FDEV (a character device such as NUL)

    /// <summary>The bytes for <paramref name="fds"/> (fd i = entry i), handles of <paramref name="handleSize"/> bytes (8 on x64).</summary>
    public static byte[] Build(IReadOnlyList<(long Handle, byte Flags)> fds, int handleSize = 8)
    {
        if (handleSize is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(handleSize), handleSize, "a HANDLE is 4 or 8 bytes");
        var block = new byte[sizeof(int) + fds.Count * (1 + handleSize)];
        BinaryPrimitives.WriteInt32LittleEndian(block, fds.Count);
        for (var i = 0; i < fds.Count; i++)
        {
            block[sizeof(int) + i] = fds[i].Flags;
            var at = block.AsSpan(sizeof(int) + fds.Count + i * handleSize);
            if (handleSize == 8) BinaryPrimitives.WriteInt64LittleEndian(at, fds[i].Handle);
            else BinaryPrimitives.WriteInt32LittleEndian(at, (int)fds[i].Handle);
        }
        return block;
    }
}
