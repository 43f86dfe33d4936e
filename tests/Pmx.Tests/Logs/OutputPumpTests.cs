using Pmx.Logs;

namespace Pmx.Tests.Logs;

public class OutputPumpTests
{
    [Test, Timeout(60_000)]
    public async Task ManyPipesWrittenConcurrentlyDeliverEveryLineWholeAndInOrder(CancellationToken ct)
    {
        const int pipeCount = 64, linesPerPipe = 2000;
        using var pump = new OutputPump();
        var pipes = Enumerable.Range(0, pipeCount).Select(_ => new TestPipe()).ToArray();
        var sinks = pipes.Select(_ => new RecordingSink()).ToArray();
        for (var i = 0; i < pipeCount; i++) pump.Attach(pipes[i].ReadEnd, sinks[i]);

        var writers = pipes.Select((pipe, p) => Task.Run(() =>
        {
            // Small odd-sized writes so lines are split across reads.
            var text = string.Concat(Enumerable.Range(0, linesPerPipe).Select(n => $"pipe {p} line {n}\n"));
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            for (var offset = 0; offset < bytes.Length; offset += 7)
                pipe.WriteEnd.Write(bytes, offset, Math.Min(7, bytes.Length - offset));
            pipe.Dispose();
        }, ct)).ToArray();
        await Task.WhenAll(writers);
        await Task.WhenAll(sinks.Select(s => s.Closed)).WaitAsync(ct);

        for (var p = 0; p < pipeCount; p++)
        {
            var expected = Enumerable.Range(0, linesPerPipe).Select(n => $"pipe {p} line {n}");
            await Assert.That(sinks[p].Lines).IsEquivalentTo(expected, CollectionOrdering.Matching);
        }
        await Assert.That(pump.AttachedCount).IsEqualTo(0);
    }

    [Test, Timeout(30_000)]
    public async Task EndOfFileDeliversThePartialLastLineThenClosesOnce(CancellationToken ct)
    {
        using var pump = new OutputPump();
        var pipe = new TestPipe();
        var sink = new RecordingSink();
        pump.Attach(pipe.ReadEnd, sink);
        pipe.Write("first\nlast words without newline");
        pipe.Dispose();
        await sink.Closed.WaitAsync(ct);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "first", "last words without newline" }, CollectionOrdering.Matching);
        await Assert.That(sink.ClosedCount).IsEqualTo(1);
        await Assert.That(pipe.ReadEnd.IsClosed).IsTrue();
    }

    [Test, Timeout(30_000)]
    public async Task DetachingDeliversWhatThePipeAlreadyHoldsThenCloses(CancellationToken ct)
    {
        using var pump = new OutputPump();
        using var pipe = new TestPipe(); // the write end stays open, as with a grandchild holding it
        var sink = new RecordingSink();
        var attachment = pump.Attach(pipe.ReadEnd, sink);
        pipe.Write("one\ntwo\npartial");
        attachment.Dispose();
        attachment.Dispose();
        await sink.Closed.WaitAsync(ct);
        await Assert.That(sink.Lines).IsEquivalentTo(new[] { "one", "two", "partial" }, CollectionOrdering.Matching);
        await Assert.That(sink.ClosedCount).IsEqualTo(1);
    }

    [Test, Timeout(30_000)]
    public async Task DisposingThePumpDrainsAndClosesEveryAttachedPipe(CancellationToken ct)
    {
        var pump = new OutputPump();
        using var first = new TestPipe();
        using var second = new TestPipe();
        var sinks = new[] { new RecordingSink(), new RecordingSink() };
        pump.Attach(first.ReadEnd, sinks[0]);
        pump.Attach(second.ReadEnd, sinks[1]);
        first.Write("a\n");
        second.Write("b");
        pump.Dispose();
        await Task.WhenAll(sinks.Select(s => s.Closed)).WaitAsync(ct);
        await Assert.That(sinks[0].Lines).IsEquivalentTo(new[] { "a" }, CollectionOrdering.Matching);
        await Assert.That(sinks[1].Lines).IsEquivalentTo(new[] { "b" }, CollectionOrdering.Matching);
        await Assert.That(() => pump.Attach(new TestPipe().ReadEnd, new RecordingSink())).Throws<ObjectDisposedException>();
    }
}
