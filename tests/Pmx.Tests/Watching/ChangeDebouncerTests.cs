using Microsoft.Extensions.Time.Testing;
using Pmx.Watching;

namespace Pmx.Tests.Watching;

public class ChangeDebouncerTests
{
    static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    [Test]
    public async Task ABurstOfEventsForOneSaveIsReportedOnceAfterItSettlesWithTheLastPath()
    {
        var time = new FakeTimeProvider();
        var reported = new List<string>();
        using var debouncer = new ChangeDebouncer(time, Settle, reported.Add);

        debouncer.OnChange("/app/a.js");
        time.Advance(TimeSpan.FromMilliseconds(300));
        debouncer.OnChange("/app/a.js~");
        time.Advance(TimeSpan.FromMilliseconds(300));
        debouncer.OnChange("/app/b.js");
        time.Advance(Settle - TimeSpan.FromMilliseconds(1));
        await Assert.That(reported).IsEmpty();

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.That(string.Join(",", reported)).IsEqualTo("/app/b.js");

        time.Advance(TimeSpan.FromSeconds(10));
        await Assert.That(reported.Count).IsEqualTo(1);
    }

    [Test]
    public async Task ASecondSaveAfterTheFirstSettledIsASecondReport()
    {
        var time = new FakeTimeProvider();
        var reported = new List<string>();
        using var debouncer = new ChangeDebouncer(time, Settle, reported.Add);

        debouncer.OnChange("/app/one");
        time.Advance(Settle);
        debouncer.OnChange("/app/two");
        time.Advance(Settle);

        await Assert.That(string.Join(",", reported)).IsEqualTo("/app/one,/app/two");
    }

    [Test]
    public async Task NothingIsReportedAfterDispose()
    {
        var time = new FakeTimeProvider();
        var reported = new List<string>();
        var debouncer = new ChangeDebouncer(time, Settle, reported.Add);
        debouncer.OnChange("/app/one");
        debouncer.Dispose();
        time.Advance(Settle * 2);
        debouncer.OnChange("/app/two");
        time.Advance(Settle * 2);
        await Assert.That(reported).IsEmpty();
    }
}
