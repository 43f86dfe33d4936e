using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Pmx.Sockets.Node;

namespace Pmx.Tests.Sockets;

/// <summary>libuv's IPC framing on Windows (deps/uv/src/win/pipe.c), which Node's channel speaks there.</summary>
public class LibuvIpcFrameTests
{
    static readonly byte[] Ready = Encoding.UTF8.GetBytes("\"ready\"\n");

    [Test]
    public async Task AMessageFrameIsTheSixteenByteHeaderWithHasDataAndTheLengthThenTheData()
    {
        var frame = LibuvIpcFrame.Encode(Ready);

        await Assert.That(frame.Length).IsEqualTo(16 + Ready.Length);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame)).IsEqualTo(1u);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4))).IsEqualTo(0u);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8))).IsEqualTo((uint)Ready.Length);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(12))).IsEqualTo(0u);
        await Assert.That(frame.AsSpan(16).SequenceEqual(Ready)).IsTrue();
    }

    [Test]
    public async Task AListeningSocketTravelsAsProtocolInfoAndAZeroDelayedErrorBetweenTheHeaderAndTheData()
    {
        var protocolInfo = Enumerable.Range(0, 628).Select(i => (byte)(i % 251 + 1)).ToArray();

        var frame = LibuvIpcFrame.Encode(Ready, protocolInfo);

        await Assert.That(frame.Length).IsEqualTo(16 + 632 + Ready.Length);
        // HAS_DATA | HAS_SOCKET_XFER, and no XFER_IS_TCP_CONNECTION: a server socket.
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame)).IsEqualTo(3u);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8))).IsEqualTo((uint)Ready.Length);
        await Assert.That(frame.AsSpan(16, 628).SequenceEqual(protocolInfo)).IsTrue();
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(16 + 628))).IsEqualTo(0u);
        await Assert.That(frame.AsSpan(16 + 632).SequenceEqual(Ready)).IsTrue();
    }

    [Test]
    public async Task TheReaderGivesBackTheMessageStreamOfFramesSplitAtEveryByteAndSkipsSocketRecords()
    {
        var first = Encoding.UTF8.GetBytes("{\"cmd\":\"pmx:listen\",\"id\":1,\"host\":null,\"port\":8080}\n");
        var wire = LibuvIpcFrame.Encode(first).Concat(LibuvIpcFrame.Encode(Ready, new byte[628])).Concat(LibuvIpcFrame.Encode(Ready)).ToArray();
        var reader = new LibuvIpcFrameReader();
        var data = new ArrayBufferWriter<byte>();

        foreach (var b in wire) reader.Push([b], data);

        await Assert.That(Encoding.UTF8.GetString(data.WrittenSpan)).IsEqualTo(Encoding.UTF8.GetString([.. first, .. Ready, .. Ready]));
    }

    [Test]
    public async Task AHeaderWithFlagsLibuvDoesNotKnowIsRefused()
    {
        var frame = LibuvIpcFrame.Encode(Ready);
        frame[0] = 0x09;

        await Assert.That(() => new LibuvIpcFrameReader().Push(frame, new ArrayBufferWriter<byte>())).Throws<InvalidDataException>();
    }

    [Test]
    public async Task AProtocolInfoOfTheWrongSizeIsRefusedBeforeAnythingIsSent()
    {
        await Assert.That(() => LibuvIpcFrame.Encode(Ready, new byte[600])).Throws<ArgumentException>();
    }
}
