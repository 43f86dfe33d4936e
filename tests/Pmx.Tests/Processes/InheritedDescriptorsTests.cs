using Pmx.Processes;
using static Pmx.Interop.Interop;

namespace Pmx.Tests.Processes;

public class InheritedDescriptorsTests
{
    [Test]
    public async Task FallbackMarksTheListedDescriptorsInRangeCloseOnExecAndLeavesTheOthersAlone()
    {
        // The path kernels before 5.11 take: close_range's CLOEXEC flag is missing there.
        using var file = File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.DeleteOnClose);
        // F_DUPFD never sets FD_CLOEXEC: these two stand for descriptors the daemon inherited.
        var inRange = fcntl((int)file.DangerousGetHandle(), F_DUPFD, 0);
        var outOfRange = fcntl((int)file.DangerousGetHandle(), F_DUPFD, 0);
        using var inRangeHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(inRange, ownsHandle: true);
        using var outOfRangeHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(outOfRange, ownsHandle: true);
        await Assert.That(fcntl(inRange, F_GETFD, 0) & FD_CLOEXEC).IsEqualTo(0);

        var listed = InheritedDescriptors.MarkCloseOnExecListed("/proc/self/fd", (uint)inRange, (uint)inRange);

        await Assert.That(listed).IsTrue();
        await Assert.That(fcntl(inRange, F_GETFD, 0) & FD_CLOEXEC).IsEqualTo(FD_CLOEXEC);
        await Assert.That(fcntl(outOfRange, F_GETFD, 0) & FD_CLOEXEC).IsEqualTo(0);
    }

    [Test]
    public async Task FallbackSaysSoWhenTheDescriptorListingIsUnavailable()
    {
        var listed = InheritedDescriptors.MarkCloseOnExecListed("/nonexistent/proc/self/fd", 3, uint.MaxValue);

        await Assert.That(listed).IsFalse();
    }
}
