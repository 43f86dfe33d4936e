using Pmx.Processes;

namespace Pmx.Tests.Processes;

public class ProcessStatsTests
{
    [Test]
    public async Task StatLineWhoseCommandContainsParenthesesAndSpacesIsParsedFromTheLastParenthesis()
    {
        // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss …
        const string line = "4242 (we ird) (app) S 1 4240 4240 0 -1 4194560 100 0 0 0 25 17 0 0 20 0 1 0 987654 1000000 300 18446744073709551615";

        await Assert.That(ProcessStats.TryParseStat(line, out var sample)).IsTrue();

        await Assert.That(sample).IsEqualTo(new ProcessSample(42, 300L * Environment.SystemPageSize, 987654, 4240));
    }

    [Test]
    public async Task TruncatedStatLineIsRejected()
    {
        await Assert.That(ProcessStats.TryParseStat("1 (init) S 0 1", out _)).IsFalse();
    }

    [Test]
    public async Task ClockTicksPerSecondIsPositive()
    {
        await Assert.That(ProcessStats.ClockTicksPerSecond).IsGreaterThan(0);
    }
}
