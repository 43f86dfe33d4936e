using Pmx.Processes;

namespace Pmx.Tests.Processes;

/// <summary>argv and environment as CreateProcessW takes them.</summary>
public class WindowsCommandLineTests
{
    [Test]
    [Arguments(new[] { @"C:\node\node.exe", @"C:\app\app.js" }, @"C:\node\node.exe C:\app\app.js")]
    [Arguments(new[] { @"C:\Program Files\node.exe", "a b" }, "\"C:\\Program Files\\node.exe\" \"a b\"")]
    [Arguments(new[] { "x", "" }, "x \"\"")]
    [Arguments(new[] { "x", "say \"hi\"" }, "x \"say \\\"hi\\\"\"")]
    [Arguments(new[] { "x", @"C:\dir with space\" }, "x \"C:\\dir with space\\\\\"")]
    [Arguments(new[] { "x", @"a\\b" }, @"x a\\b")]
    public async Task EachArgumentIsQuotedSoTheCRuntimeParsesItBackUnchanged(string[] argv, string expected)
    {
        await Assert.That(WindowsCommandLine.Join(argv)).IsEqualTo(expected);
    }

    [Test]
    public async Task TheEnvironmentBlockIsSortedWithoutRegardToCaseAndEndsWithTwoNuls()
    {
        var block = WindowsCommandLine.EnvironmentBlock(new Dictionary<string, string>
        {
            ["b"] = "2", ["Path"] = @"C:\node", ["A"] = "1", ["bad=name"] = "x",
        });

        await Assert.That(block).IsEqualTo("A=1\0b=2\0Path=C:\\node\0\0");
    }

    [Test]
    public async Task ALookupFindsPathWhateverTheCaseOfItsName()
    {
        var env = new Dictionary<string, string> { ["Path"] = @"C:\node" };

        await Assert.That(WindowsCommandLine.Lookup(env, "PATH")).IsEqualTo(@"C:\node");
    }
}
