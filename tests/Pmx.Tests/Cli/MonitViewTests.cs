using Pmx.Cli;
using Pmx.Control;

namespace Pmx.Tests.Cli;

public class MonitViewTests
{
    static readonly IReadOnlyList<ProcessInfo> Rows =
    [
        new() { Name = "web", Instance = 0, Pid = 4242, Status = ProcessStatus.Online, UptimeMs = 12_000, CpuPercent = 0.25, MemoryBytes = 13_002_342 },
        new() { Name = "web", Instance = 1, Pid = 0, Status = ProcessStatus.Stopped, Restarts = 3 },
    ];

    const string Header = "  NAME   PID   STATUS   CPU   MEMORY   RESTARTS  UPTIME";
    const string Web0 = "web#0  4242  online   0.3%  12.4 MB  0         12s";
    const string Web1 = "web#1  -     stopped  -     -        3         -";

    static IReadOnlyList<ProcessInfo> Many(int count) =>
        Enumerable.Range(0, count).Select(i => new ProcessInfo { Name = "w", Instance = i, Pid = 100 + i, Status = ProcessStatus.Online }).ToList();

    [Test]
    public async Task TheSelectedRowIsMarkedAndItsLogFollowsTheTable()
    {
        var frame = MonitView.Render(Rows, selectedIndex: 0, ["a", "b"], width: 60, height: 10, colour: false);

        await Assert.That(frame).IsEqualTo(string.Join('\n',
            Header,
            "> " + Web0,
            "  " + Web1,
            "── web#0 stdout " + new string('─', 44),
            "a",
            "b",
            "",
            "",
            "",
            MonitView.Footer));
    }

    [Test]
    public async Task MovingTheSelectionMovesTheMarkerAndTheLogTitle()
    {
        var lines = MonitView.Render(Rows, selectedIndex: 1, [], width: 60, height: 8, colour: false).Split('\n');

        await Assert.That(lines[1]).IsEqualTo("  " + Web0);
        await Assert.That(lines[2]).IsEqualTo("> " + Web1);
        await Assert.That(lines[3]).StartsWith("── web#1 stdout ─");
    }

    [Test]
    public async Task EveryLineIsCutToTheWidth()
    {
        var lines = MonitView.Render(Rows, 0, [new string('x', 100)], width: 20, height: 8, colour: false).Split('\n');

        await Assert.That(lines[0]).IsEqualTo("  NAME   PID   STATU");
        await Assert.That(lines[1]).IsEqualTo("> web#0  4242  onlin");
        await Assert.That(lines[3]).IsEqualTo("── web#0 stdout ────");
        await Assert.That(lines[4]).IsEqualTo(new string('x', 20));
        await Assert.That(lines.All(line => line.Length <= 20)).IsTrue();
    }

    [Test]
    public async Task TheLogShowsTheNewestLinesThatFitAboveTheFooter()
    {
        var log = Enumerable.Range(1, 100).Select(i => $"line {i}").ToList();

        var lines = MonitView.Render(Rows, 0, log, width: 60, height: 10, colour: false).Split('\n');

        await Assert.That(lines.Length).IsEqualTo(10);
        await Assert.That(lines[4..9]).IsEquivalentTo(new[] { "line 96", "line 97", "line 98", "line 99", "line 100" }, CollectionOrdering.Matching);
        await Assert.That(lines[9]).IsEqualTo(MonitView.Footer);
    }

    [Test]
    public async Task ALongTableScrollsToKeepTheSelectionVisibleAndLeavesRoomForTheLog()
    {
        // Height 10: header, title and footer leave 7 rows; the log keeps 3, the table gets 4.
        var lines = MonitView.Render(Many(20), selectedIndex: 9, ["only line"], width: 40, height: 10, colour: false).Split('\n');

        await Assert.That(lines[1]).StartsWith("  w#6 ");
        await Assert.That(lines[4]).StartsWith("> w#9 ");
        await Assert.That(lines[5]).StartsWith("── w#9 stdout");
        await Assert.That(lines[6]).IsEqualTo("only line");
    }

    [Test]
    public async Task AnEmptyListSaysHowToStartApps()
    {
        var frame = MonitView.Render([], 0, [], width: 200, height: 4, colour: true);

        await Assert.That(frame).IsEqualTo(ListRenderer.EmptyMessage + "\n\n\n" + MonitView.Footer);
    }

    [Test]
    public async Task ANoticeReplacesTheTable()
    {
        var frame = MonitView.Render(Rows, 0, ["a"], width: 40, height: 3, colour: false, notice: "no daemon running");

        await Assert.That(frame).IsEqualTo("no daemon running\n\n" + MonitView.Footer);
    }

    [Test]
    public async Task ATinyTerminalStillGetsTheFooterAndNothingOverflows()
    {
        await Assert.That(MonitView.Render(Rows, 0, ["a"], width: 5, height: 1, colour: false)).IsEqualTo("q qui");
        await Assert.That(MonitView.Render(Rows, 0, ["a"], width: 0, height: 0, colour: false)).IsEqualTo("");
        var lines = MonitView.Render(Rows, 0, ["a"], width: 80, height: 3, colour: false).Split('\n');
        await Assert.That(lines).IsEquivalentTo(new[] { Header, "> " + Web0, MonitView.Footer }, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ColourPaintsTheStatusAndShowsTheSelectionAsAReverseBar()
    {
        var lines = MonitView.Render(Rows, 1, [], width: 60, height: 8, colour: true).Split('\n');

        await Assert.That(lines[1]).IsEqualTo("  web#0  4242  \e[32monline\e[39m   0.3%  12.4 MB  0         12s");
        var bar = ("> " + Web1).PadRight(60);
        await Assert.That(lines[2]).IsEqualTo("\e[7m" + bar[..15] + "\e[90mstopped\e[39m" + bar[22..] + "\e[0m");
        await Assert.That(lines[0]).DoesNotContain("\e");
    }

    [Test]
    public async Task NoColourMeansNoEscapeCodes() =>
        await Assert.That(MonitView.Render(Rows, 1, ["a"], 60, 10, colour: false)).DoesNotContain("\e");

    [Test]
    public async Task LogLinesCannotMoveTheCursorOrRecolourTheView() =>
        await Assert.That(MonitView.Printable("\e[31mred\e[0m\tok\r\e[2J\u0007done\e7")).IsEqualTo("red okdone");

    [Test]
    public async Task TheScreenUpdateHomesTheCursorOverwritesAndErasesLeftovers() =>
        await Assert.That(MonitView.ToScreen("ab\ncd", width: 10)).IsEqualTo("\e[Hab\e[K\r\ncd\e[J");

    [Test]
    public async Task AFullWidthRowIsNotErasedFromItsLastColumn() =>
        await Assert.That(MonitView.ToScreen("abcd\n\e[7mwxyz\e[0m", width: 4)).IsEqualTo("\e[Habcd\r\n\e[7mwxyz\e[0m");

    [Test]
    [Arguments('q', ConsoleKey.Q, false)]
    [Arguments('Q', ConsoleKey.Q, false)]
    [Arguments('\e', ConsoleKey.Escape, false)]
    [Arguments('\x03', ConsoleKey.C, true)]
    public async Task QuitKeys(char keyChar, ConsoleKey key, bool control) =>
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo(keyChar, key, shift: false, alt: false, control))).IsEqualTo(MonitAction.Quit);

    [Test]
    public async Task ArrowsAndVimKeysMoveTheSelection()
    {
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo('\0', ConsoleKey.UpArrow, false, false, false))).IsEqualTo(MonitAction.SelectPrevious);
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo('k', ConsoleKey.K, false, false, false))).IsEqualTo(MonitAction.SelectPrevious);
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo('\0', ConsoleKey.DownArrow, false, false, false))).IsEqualTo(MonitAction.SelectNext);
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo('j', ConsoleKey.J, false, false, false))).IsEqualTo(MonitAction.SelectNext);
        await Assert.That(MonitKeys.ActionFor(new ConsoleKeyInfo('x', ConsoleKey.X, false, false, false))).IsEqualTo(MonitAction.None);
    }

    [Test]
    public async Task TheSelectionStopsAtTheFirstAndLastRow()
    {
        await Assert.That(MonitKeys.Move(0, MonitAction.SelectPrevious, rowCount: 3)).IsEqualTo(0);
        await Assert.That(MonitKeys.Move(2, MonitAction.SelectNext, rowCount: 3)).IsEqualTo(2);
        await Assert.That(MonitKeys.Move(1, MonitAction.SelectNext, rowCount: 3)).IsEqualTo(2);
        await Assert.That(MonitKeys.Move(0, MonitAction.SelectNext, rowCount: 0)).IsEqualTo(0);
    }

    [Test]
    public async Task TheSelectionFollowsItsInstanceWhenTheListChanges()
    {
        var rows = Many(5);
        await Assert.That(MonitKeys.Reselect(rows, ("w", 3), previousIndex: 0)).IsEqualTo(3);
        // Gone (scaled down): the same position, or the last row.
        await Assert.That(MonitKeys.Reselect(rows, ("w", 9), previousIndex: 7)).IsEqualTo(4);
        await Assert.That(MonitKeys.Reselect([], ("w", 3), previousIndex: 3)).IsEqualTo(0);
    }
}
