using Pmx.Config;

namespace Pmx.Tests.Config;

public class ValueParsingTests
{
    [Test]
    [Arguments("500ms", 500)]
    [Arguments("5s", 5000)]
    [Arguments("1.5s", 1500)]
    [Arguments("2m", 120_000)]
    [Arguments("1h", 3_600_000)]
    [Arguments("10S", 10_000)]
    public async Task DurationStringsWithAUnitParse(string text, long milliseconds)
    {
        await Assert.That(DurationValue.TryParse(text, out var value)).IsTrue();
        await Assert.That((long)value.TotalMilliseconds).IsEqualTo(milliseconds);
    }

    [Test]
    [Arguments("5")]
    [Arguments("-5s")]
    [Arguments("5 minutes")]
    [Arguments("1m30s")]
    [Arguments("ms")]
    public async Task DurationStringsWithoutOneKnownUnitAreRejected(string text) =>
        await Assert.That(DurationValue.TryParse(text, out _)).IsFalse();

    [Test]
    [Arguments(50_000, "50s")]
    [Arguments(500, "500ms")]
    [Arguments(90_000, "1m30s")]
    [Arguments(0, "0s")]
    public async Task DurationsFormatInTheirShortestExactForm(long milliseconds, string text) =>
        await Assert.That(DurationValue.Format(TimeSpan.FromMilliseconds(milliseconds))).IsEqualTo(text);

    [Test]
    [Arguments("10K", 10L * 1024)]
    [Arguments("200M", 200L * 1024 * 1024)]
    [Arguments("1G", 1L << 30)]
    [Arguments("10MB", 10L * 1024 * 1024)]
    [Arguments("10MiB", 10L * 1024 * 1024)]
    [Arguments("300m", 300L * 1024 * 1024)]
    [Arguments("512", 512L)]
    public async Task SizeStringsUseBinaryUnits(string text, long bytes)
    {
        await Assert.That(SizeValue.TryParse(text, out var value)).IsTrue();
        await Assert.That(value).IsEqualTo(bytes);
    }

    [Test]
    [Arguments("")]
    [Arguments("M")]
    [Arguments("10T")]
    [Arguments("1.5G")]
    [Arguments("-1M")]
    public async Task SizeStringsOutsideTheFormAreRejected(string text) =>
        await Assert.That(SizeValue.TryParse(text, out _)).IsFalse();

    [Test]
    [Arguments("a b  c", "a|b|c")]
    [Arguments("--name 'my app'", "--name|my app")]
    [Arguments("\"a \\\"b\\\" $HOME\"", "a \"b\" $HOME")]
    [Arguments("plain\\ space", "plain space")]
    [Arguments("'it'\\''s'", "it's")]
    [Arguments("", "")]
    public async Task ShellWordsSplitLikeASh(string text, string joined)
    {
        await Assert.That(ShellWords.TrySplit(text, out var words, out _)).IsTrue();
        await Assert.That(string.Join("|", words)).IsEqualTo(joined);
    }

    [Test]
    [Arguments("'open", "has an unterminated single quote")]
    [Arguments("\"open", "has an unterminated double quote")]
    [Arguments("end\\", "ends with a lone backslash")]
    public async Task ShellWordsRejectUnfinishedQuoting(string text, string why)
    {
        await Assert.That(ShellWords.TrySplit(text, out _, out var error)).IsFalse();
        await Assert.That(error).IsEqualTo(why);
    }

    [Test]
    [Arguments("instnces", "instances")]
    [Arguments("isntances", "instances")]
    [Arguments("kill_timout", "kill_timeout")]
    [Arguments("Port", "port")]
    public async Task MisspeltKeysFindTheirKnownKey(string typo, string key) =>
        await Assert.That(AppKeys.Suggest(typo)).IsEqualTo(key);

    [Test]
    public async Task KeysFarFromAnyKnownKeyGetNoSuggestion() =>
        await Assert.That(AppKeys.Suggest("colour")).IsNull();
}
