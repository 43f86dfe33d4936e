using System.Net.Sockets;
using System.Text;
using Pmx.Sockets;

namespace Pmx.Tests.Sockets;

public class SystemdNotifierTests
{
    [Test, Timeout(30_000)]
    public async Task TheStateArrivesAsExactlyItsUtf8BytesInOneDatagramOnAFileSocket(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("pmx-sdnotify-").FullName;
        try
        {
            var path = Path.Combine(folder, "notify");
            using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            receiver.Bind(new UnixDomainSocketEndPoint(path));
            const string state = "READY=1\nSTATUS=supervising, every app started é\nMAINPID=42";

            SystemdNotifier.Notify(state, path);

            await Assert.That(Convert.ToHexString(await ReceiveOne(receiver, ct))).IsEqualTo(Convert.ToHexString(Encoding.UTF8.GetBytes(state)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test, Timeout(30_000)]
    public async Task AnAtSignNamesTheAbstractNamespace(CancellationToken ct)
    {
        var name = $"pmx-test-{Guid.NewGuid():N}";
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint("\0" + name));

        SystemdNotifier.Notify("STOPPING=1", "@" + name);

        await Assert.That(Convert.ToHexString(await ReceiveOne(receiver, ct))).IsEqualTo(Convert.ToHexString("STOPPING=1"u8.ToArray()));
    }

    [Test]
    public async Task WithoutASocketNothingIsSentAndNothingThrows()
    {
        await Assert.That(() => SystemdNotifier.Notify("READY=1", null)).ThrowsNothing();
        await Assert.That(() => SystemdNotifier.Notify("READY=1", "")).ThrowsNothing();
        await Assert.That(() => SystemdNotifier.Notify("READY=1", "/nonexistent/notify")).ThrowsNothing();
    }

    static async Task<byte[]> ReceiveOne(Socket receiver, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var n = await receiver.ReceiveAsync(buffer, SocketFlags.None, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        return buffer[..n];
    }
}
