using Pmx.Cli;
using Pmx.Config;
using Pmx.Tests.Config;

namespace Pmx.Tests.Cli;

/// <summary>`pmx start` turns its command line into TOML; no value may break out of its string.</summary>
public class StartCommandConfigTests
{
    [Test]
    public async Task ArgumentsWithNewlinesQuotesAndEscapesArriveUnchanged()
    {
        string[] args = ["a\nname = \"evil\"", "quote \" back \\ slash", "\u001b[31mred", "tab\t", "\u007f"];
        var text = StartCommand.ConfigText("web", "/bin/echo", 2, args);
        var result = ConfigLoader.Parse(text, "pmx start", "/", null);
        await Assert.That(result.ErrorText()).IsEqualTo("");
        var app = result.Apps.Single();
        await Assert.That(app.Name).IsEqualTo("web");
        await Assert.That(app.Instances).IsEqualTo(2);
        // Order-sensitive, and shown escaped when it fails.
        await Assert.That(string.Join(", ", app.Args.Select(TomlString.Quote))).IsEqualTo(string.Join(", ", args.Select(TomlString.Quote)));
    }

    [Test]
    public async Task ANameWithANewlineIsRefusedNotTurnedIntoAKey()
    {
        var result = ConfigLoader.Parse(StartCommand.ConfigText("web\nscript = \"x\"", "/bin/echo", 1, []), "pmx start", "/", null);
        await Assert.That(result.ErrorText()).IsEqualTo(
            "pmx start:2:1: app name \"web\\nscript = \\\"x\\\"\" is not allowed: use only letters, digits, '.', '_' and '-'");
    }
}
