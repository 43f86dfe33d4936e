using Pmx.Config;

namespace Pmx.Tests.Config;

/// <summary>The pre-scan counts brackets only where TOML reads them as brackets.</summary>
public class NestingDepthTests
{
    static string Deep(int levels) => new string('[', levels) + new string(']', levels);

    [Test]
    [Arguments("a = \"\"\"x\"\"\"\"\"\nb = ")]
    [Arguments("a = '''x'''''\nb = ")]
    [Arguments("a = \"\\\\\"\nb = ")]
    [Arguments("a = \"x\\\"[\"\nb = ")]
    [Arguments("# a comment \"\nb = ")]
    public async Task CodeAfterAClosedStringOrCommentIsScanned(string prefix)
    {
        await Assert.That(NestingDepth.FirstBeyond(prefix + Deep(5), 4)).IsNotNull();
    }

    [Test]
    [Arguments("a = \"[[[[[\"")]
    [Arguments("a = '[[[[['")]
    [Arguments("a = \"\"\"\n[[[[[\n\"\"\"")]
    [Arguments("a = '''\n[[[[[\n'''")]
    [Arguments("a = \"\"\"\\\n[[[[[\"\"\"")]
    [Arguments("# [[[[[")]
    public async Task BracketsInsideStringsAndCommentsAreNotNesting(string text)
    {
        await Assert.That(NestingDepth.FirstBeyond(text, 4)).IsNull();
    }

    [Test]
    public async Task ThePositionIsTheFirstBracketPastTheLimit()
    {
        await Assert.That(NestingDepth.FirstBeyond("x = 1\n  a = " + Deep(10), 4)).IsEqualTo((2, 11));
    }

    [Test]
    public async Task ClosedBracketsGiveTheirLevelBack()
    {
        var text = string.Join("\n", Enumerable.Repeat("a = " + Deep(4), 1000));
        await Assert.That(NestingDepth.FirstBeyond(text, 4)).IsNull();
    }
}
