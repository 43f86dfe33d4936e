using Pmx.Logs;
using Pmx.Supervisor;

namespace Pmx.Tests.Logs;

public class AddressInUseWatchTests
{
    [Test]
    public async Task EveryLineGoesOnAndOnlyTheFirstAddressInUseLineIsReported()
    {
        var inner = new RecordingSink();
        var reported = new List<string>();
        var watch = new AddressInUseWatch(inner, reported.Add);

        watch.OnLine("starting"u8);
        watch.OnLine("Error: listen EADDRINUSE: address already in use :::8080\r"u8);
        watch.OnLine("listen tcp :9090: bind: Address already in use"u8);
        watch.OnLine("bye"u8);

        await Assert.That(inner.Lines).IsEquivalentTo(["starting", "Error: listen EADDRINUSE: address already in use :::8080\r", "listen tcp :9090: bind: Address already in use", "bye"], CollectionOrdering.Matching);
        await Assert.That(reported).IsEquivalentTo(["Error: listen EADDRINUSE: address already in use :::8080"], CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("Error: listen EADDRINUSE: address already in use :::8080", true)]
    [Arguments("OSError: [Errno 98] ADDRESS ALREADY IN USE", true)]
    [Arguments("address already", false)]
    [Arguments("TypeError: x is not a function", false)]
    public async Task AddressInUseIsRecognisedInEachRuntimesWording(string line, bool expected)
    {
        await Assert.That(AddressInUseWatch.SaysAddressInUse(System.Text.Encoding.UTF8.GetBytes(line))).IsEqualTo(expected);
    }

    [Test]
    [Arguments("Error: listen EADDRINUSE: address already in use :::8080", 8080)]
    [Arguments("Error: listen EADDRINUSE: address already in use 127.0.0.1:3000", 3000)]
    [Arguments("listen tcp 127.0.0.1:9090: bind: address already in use", 9090)]
    [Arguments("testworker: cannot listen on 127.0.0.1:41234: Address already in use (AddressAlreadyInUse).", 41234)]
    [Arguments("OSError: [Errno 98] Address already in use", null)]
    public async Task TheHintNamesThePortTheLineMentions(string line, int? port)
    {
        await Assert.That(AddressInUseHint.PortOf(line)).IsEqualTo(port);
        await Assert.That(AddressInUseHint.For(line)).StartsWith(port is null ? "a port is already in use (EADDRINUSE)" : $"port {port} is already in use (EADDRINUSE)");
        await Assert.That(AddressInUseHint.For(line)).Contains("exec_mode = \"cluster\"");
    }
}
