namespace Pmx.EndToEnd;

/// <summary>The published pmx is one static file: no loader, no shared glibc, so any Linux (and FROM scratch) runs it.</summary>
public class StaticBinaryTests
{
    [Test, Timeout(30_000)]
    public async Task PublishedBinaryNamesNoProgramInterpreter(CancellationToken ct)
    {
        var segments = ElfProgramHeaders.SegmentTypes(PmxBinary.Path);
        await Assert.That(segments.Count).IsGreaterThan(0);
        await Assert.That(segments.Contains(ElfProgramHeaders.PtInterp)).IsFalse()
            .Because($"{PmxBinary.Path} has a PT_INTERP segment, so it is dynamically linked; ./build.sh publishes it static");
    }

    [Test, Timeout(30_000)]
    public async Task AProgramLinkedAgainstGlibcDynamicallyDoesNameAnInterpreter(CancellationToken ct)
    {
        // The reader itself must see a loader where there is one, or the test above proves nothing.
        // This test host (a .NET apphost) is linked dynamically.
        await Assert.That(ElfProgramHeaders.HasInterpreter(Environment.ProcessPath!)).IsTrue();
    }
}
