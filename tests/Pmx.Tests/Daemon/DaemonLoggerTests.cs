using System.Globalization;
using Microsoft.Extensions.Logging;
using Pmx.Daemon;

namespace Pmx.Tests.Daemon;

/// <summary>daemon.log keeps the line format of the console logger it replaced: people and scripts grep it.</summary>
public class DaemonLoggerTests
{
    const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";

    static (DateTime Stamp, string Remainder) Split(string line) =>
        (DateTime.ParseExact(line[..TimestampFormat.Length], TimestampFormat, CultureInfo.InvariantCulture), line[TimestampFormat.Length..]);

    [Test]
    public async Task ALineIsATimestampTheLevelTheCategoryAndTheMessage()
    {
        var output = new StringWriter();
        var log = new DaemonLogger("pmx", output);
        var before = DateTime.Now.AddSeconds(-1);

        log.LogWarning("{App} exited unexpectedly ({Why}); restarting in {Delay} ms", "idle#0", "killed by SIGKILL", 0);

        var (stamp, rest) = Split(output.ToString());
        await Assert.That(rest).IsEqualTo("warn: pmx[0] idle#0 exited unexpectedly (killed by SIGKILL); restarting in 0 ms\n");
        await Assert.That(stamp).IsBetween(before, DateTime.Now.AddSeconds(1));
    }

    [Test]
    public async Task AMessageAndItsExceptionStayOnOneLine()
    {
        var output = new StringWriter();
        var log = new DaemonLogger("pmx", output);

        log.LogError(new InvalidOperationException("boom"), "first{NewLine}second", Environment.NewLine);

        var (_, rest) = Split(output.ToString());
        await Assert.That(rest).IsEqualTo("fail: pmx[0] first second System.InvalidOperationException: boom\n");
    }

    [Test]
    public async Task EveryLevelHasTheConsoleLoggersWord()
    {
        var output = new StringWriter();
        var log = new DaemonLogger("pmx", output);

        foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
            log.Log(level, "x");

        var words = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Split(line).Remainder[..4]);
        await Assert.That(words).IsEquivalentTo(["trce", "dbug", "info", "warn", "fail", "crit"], CollectionOrdering.Matching);
    }
}
