using Pmx.Control;

namespace Pmx.Tests.Control;

public class QueuedResponderTests
{
    /// <summary>Remembers which thread wrote to it last.</summary>
    sealed class WriterRecordingStream : MemoryStream
    {
        public int? WriterThread { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriterThread = Environment.CurrentManagedThreadId;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    /// <summary>
    /// The daemon answers `pmx list` on its supervisor loop: the answer must leave from there,
    /// not wait for a thread-pool thread to wake up and write it.
    /// </summary>
    [Test, Timeout(10_000)]
    public async Task AResultIsWrittenOnTheThreadThatHandsItOverBeforeTheCallReturns(CancellationToken ct)
    {
        using var stream = new WriterRecordingStream();
        var responder = new QueuedResponder(stream);
        int? caller = null;
        long writtenWhenTheCallReturned = -1;

        var thread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            responder.Result(ExitCodes.Ok, "daemon: pmx").AsTask().Wait(ct);
            writtenWhenTheCallReturned = stream.Length;
        });
        thread.Start();
        thread.Join();

        await responder.Pumped.WaitAsync(ct);
        await Assert.That(stream.WriterThread).IsEqualTo(caller);
        await Assert.That(writtenWhenTheCallReturned).IsEqualTo(stream.Length);
        await Assert.That(stream.Length).IsGreaterThan(0);
    }
}
