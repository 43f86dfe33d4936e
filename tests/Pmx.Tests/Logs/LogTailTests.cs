using System.Text;
using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class LogTailTests
{
    static string Tail(string content, int lines)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, content);
            var (bytes, end) = LogTail.Read(path, lines);
            if (end != Encoding.UTF8.GetByteCount(content)) throw new InvalidOperationException("the tail must end at the file's end");
            return Encoding.UTF8.GetString(bytes);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public async Task TheLastNLinesAreReturnedWithTheirNewlines()
    {
        await Assert.That(Tail("a\nb\nc\nd\n", 2)).IsEqualTo("c\nd\n");
        await Assert.That(Tail("a\nb\nc\nd\n", 10)).IsEqualTo("a\nb\nc\nd\n");
        await Assert.That(Tail("a\nb\n\n", 2)).IsEqualTo("b\n\n");
        await Assert.That(Tail("a\nb\nc\nd\n", 0)).IsEqualTo("");
        await Assert.That(Tail("", 5)).IsEqualTo("");
    }

    [Test]
    public async Task ALastLineWithoutNewlineCountsAsALine()
    {
        await Assert.That(Tail("a\nb\nunfinished", 2)).IsEqualTo("b\nunfinished");
    }

    [Test]
    public async Task LinesAreFoundAcrossReadChunksInALargeFile()
    {
        var content = string.Concat(Enumerable.Range(0, 50_000).Select(n => $"line number {n}\n")); // ~830 KB
        var expected = string.Concat(Enumerable.Range(50_000 - 9000, 9000).Select(n => $"line number {n}\n"));
        await Assert.That(Tail(content, 9000)).IsEqualTo(expected);
    }
}
