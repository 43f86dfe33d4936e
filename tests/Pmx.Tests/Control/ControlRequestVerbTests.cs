using System.Text;
using Pmx.Control;

namespace Pmx.Tests.Control;

/// <summary>The verb read without the serializer must be what the serializer reads.</summary>
public class ControlRequestVerbTests
{
    [Test]
    public async Task TheVerbOfAnEncodedRequestIsItsCommand()
    {
        var line = JsonLines.Encode(new ControlRequest { Command = "describe", Target = "web", Args = ["a", "{\"command\":\"x\"}"] },
            ControlJsonContext.Default.ControlRequest);

        await Assert.That(ControlRequestVerb.Of(line)).IsEqualTo("describe");
        await Assert.That(ControlRequestVerb.Of(ListExchange.Request("web"))).IsEqualTo("list");
    }

    [Test]
    public async Task ANestedCommandFieldIsNotTheVerb()
    {
        await Assert.That(ControlRequestVerb.Of("""{"env":{"command":"kill"},"command":"list"}"""u8)).IsEqualTo("list");
        await Assert.That(ControlRequestVerb.Of("""{"args":["command"]}"""u8)).IsNull();
    }

    [Test]
    public async Task GarbageOrANonStringCommandHasNoVerb()
    {
        await Assert.That(ControlRequestVerb.Of("not json"u8)).IsNull();
        await Assert.That(ControlRequestVerb.Of("[1,2]"u8)).IsNull();
        await Assert.That(ControlRequestVerb.Of("""{"command":null}"""u8)).IsNull();
        await Assert.That(ControlRequestVerb.Of("""{"command":7}"""u8)).IsNull();
        await Assert.That(ControlRequestVerb.Of(Encoding.UTF8.GetBytes("{\"command\":\"li"))).IsNull();
    }
}
