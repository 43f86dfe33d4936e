using System.Text;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LineSplitterTests
{
    static void Push(LineSplitter splitter, string text, RecordingSink sink) => splitter.Push(Encoding.UTF8.GetBytes(text), sink);

    [Test]
    public async Task APartialLineIsHeldUntilItsNewlineArrivesInALaterChunk()
    {
        var sink = new RecordingSink();
        var splitter = new LineSplitter();
        Push(splitter, "hel", sink);
        await Assert.That(sink.Lines).IsEmpty();
        Push(splitter, "lo\nwor", sink);
        Push(splitter, "ld\n", sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "hello", "world" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task OnlyTheNewlineIsRemovedSoCarriageReturnsAndEmptyLinesSurvive()
    {
        var sink = new RecordingSink();
        var splitter = new LineSplitter();
        Push(splitter, "dos\r\n\n  spaced  \n", sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "dos\r", "", "  spaced  " }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task FlushDeliversALastLineThatHasNoNewline()
    {
        var sink = new RecordingSink();
        var splitter = new LineSplitter();
        Push(splitter, "done\nno newline", sink);
        splitter.Flush(sink);
        splitter.Flush(sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "done", "no newline" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ALineLongerThanTheLimitIsCutIntoPiecesOfExactlyTheLimit()
    {
        var sink = new RecordingSink();
        var splitter = new LineSplitter(maxLineBytes: 4);
        Push(splitter, "abcdefghij\n", sink);  // in one chunk
        Push(splitter, "kl", sink);             // across chunks
        Push(splitter, "mnopq\n", sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "abcd", "efgh", "ij", "klmn", "opq" }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ALineOfExactlyTheLimitStaysOneLine()
    {
        var sink = new RecordingSink();
        var splitter = new LineSplitter(maxLineBytes: 4);
        Push(splitter, "ab", sink);
        Push(splitter, "cd", sink);
        Push(splitter, "\nwxyz\n", sink);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "abcd", "wxyz" }, CollectionOrdering.Matching);
    }
}
