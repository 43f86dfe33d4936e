using System.Buffers.Binary;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

/// <summary>The STARTUPINFO.lpReserved2 block that gives a Windows child's C runtime its fds (libuv's process-stdio.c layout).</summary>
public class CrtFdBlockTests
{
    [Test]
    public async Task TheBlockIsACountThenOneFlagBytePerFdThenThePackedHandles()
    {
        var block = CrtFdBlock.Build(
        [
            (0x10, CrtFdBlock.Open | CrtFdBlock.Device),
            (0x20, CrtFdBlock.Open | CrtFdBlock.Pipe),
            (0x30, CrtFdBlock.Open | CrtFdBlock.Pipe),
            (0x1122334455667788, CrtFdBlock.Open | CrtFdBlock.Pipe),
        ]);

        await Assert.That(block.Length).IsEqualTo(4 + 4 + 4 * 8);
        await Assert.That(BinaryPrimitives.ReadInt32LittleEndian(block)).IsEqualTo(4);
        // FOPEN|FDEV for NUL, FOPEN|FPIPE for the pipes, in fd order.
        await Assert.That(Convert.ToHexString(block, 4, 4)).IsEqualTo("41090909");
        await Assert.That(BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(8))).IsEqualTo(0x10L);
        await Assert.That(BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(16))).IsEqualTo(0x20L);
        await Assert.That(BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(24))).IsEqualTo(0x30L);
        // Unaligned on purpose: the C runtime reads the handles right after the flag bytes.
        await Assert.That(BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(32))).IsEqualTo(0x1122334455667788L);
    }
}
