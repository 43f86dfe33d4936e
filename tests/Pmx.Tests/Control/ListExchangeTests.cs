using System.Text;
using System.Text.Json;
using Pmx.Cli;
using Pmx.Control;

namespace Pmx.Tests.Control;

/// <summary>The serializer-free `list` exchange must say and read exactly what the serializer does.</summary>
public class ListExchangeTests
{
    static readonly IReadOnlyList<ProcessInfo> Rows =
    [
        new() { Name = "web", Instance = 0, Id = 7, Pid = 4242, Status = ProcessStatus.Online, Restarts = 1, UptimeMs = 12_000, CpuPercent = 0.25,
                MemoryBytes = 13_002_342, ExecMode = Pmx.Config.ExecMode.Cluster, Port = 8080, StartedAt = DateTimeOffset.UnixEpoch,
                StatusText = "serving \"all\" <requests> é" },
        new() { Name = "queue-worker", Instance = 1, Id = 9, Pid = 0, Status = ProcessStatus.Errored, Restarts = 15, LastExit = "exited 3" },
    ];

    static byte[] ResultLine(IReadOnlyList<ProcessInfo>? processes, int exitCode = 0, string? message = null) =>
        JsonLines.Encode(new ControlEvent { Type = ControlEventType.Result, ExitCode = exitCode, Message = message, Processes = processes, PmxVersion = "9.9.9" },
            ControlJsonContext.Default.ControlEvent);

    [Test]
    public async Task TheListRequestReadsAsTheSerializersListRequest()
    {
        var line = ListExchange.Request("web");
        var request = JsonSerializer.Deserialize(line.AsSpan(0, line.Length - 1), ControlJsonContext.Default.ControlRequest)!;

        await Assert.That(line[^1]).IsEqualTo((byte)'\n');
        await Assert.That(request.Command).IsEqualTo("list");
        await Assert.That(request.Target).IsEqualTo("web");
        await Assert.That(request.ProtocolVersion).IsEqualTo(ControlProtocol.Version);
        await Assert.That(request.PmxVersion).IsEqualTo(BuildInfo.Version);
        await Assert.That(request.Args.Count).IsEqualTo(0);
        await Assert.That(JsonSerializer.Deserialize(ListExchange.Request(null).AsSpan()[..^1], ControlJsonContext.Default.ControlRequest)!.Target).IsNull();
    }

    [Test]
    public async Task TheUnfilteredRequestIsByteForByteWhatUtf8JsonWriterWrites()
    {
        await Assert.That(Encoding.UTF8.GetString(ListExchange.Request(null))).IsEqualTo(Encoding.UTF8.GetString(ListExchange.Written(null)));
        await Assert.That(Encoding.UTF8.GetString(ListExchange.Request("a\"b"))).IsEqualTo(Encoding.UTF8.GetString(ListExchange.Written("a\"b")));
    }

    [Test]
    public async Task TheProcessesArrayOfAResultIsByteForByteWhatRenderJsonWrites()
    {
        var answer = ListExchange.Read(ResultLine(Rows));

        await Assert.That(Encoding.UTF8.GetString(answer.Processes!) + "\n").IsEqualTo(ListRenderer.RenderJson(Rows));
        await Assert.That(answer.ExitCode).IsEqualTo(0);
        await Assert.That(answer.Type).IsEqualTo("result");
    }

    [Test]
    public async Task RowsReadBackEveryFieldTheTableShows()
    {
        var rows = ListExchange.Rows(ListExchange.Read(ResultLine(Rows)).Processes);

        await Assert.That(ListRenderer.RenderTable(rows, colour: true)).IsEqualTo(ListRenderer.RenderTable(Rows, colour: true));
    }

    [Test]
    public async Task AFailureCarriesItsExitCodeAndMessageAndNoRows()
    {
        var answer = ListExchange.Read(ResultLine(null, exitCode: 1, message: "protocol 2 is not 1"));

        await Assert.That(answer.ExitCode).IsEqualTo(1);
        await Assert.That(answer.Message).IsEqualTo("protocol 2 is not 1");
        await Assert.That(answer.Processes).IsNull();
    }

    [Test]
    public async Task AProgressLineIsNotTheResult()
    {
        var progress = JsonLines.Encode(ControlEvent.Progress("working"), ControlJsonContext.Default.ControlEvent);

        await Assert.That(ListExchange.IsResult(progress)).IsFalse();
        await Assert.That(ListExchange.IsResult(ResultLine(Rows))).IsTrue();
    }

    [Test]
    public async Task AnUnknownStatusOrGarbageIsAProtocolErrorThatNamesTheCure()
    {
        await Assert.That(() => ListExchange.Rows("""[{"name":"a","instance":0,"status":"sleeping"}]"""u8))
            .Throws<ControlProtocolException>().WithMessageContaining("pmx kill");
        await Assert.That(() => ListExchange.Read("not json"u8)).Throws<ControlProtocolException>();
    }

    [Test]
    public async Task EveryStatusWordIsTheSnakeCaseNameTheSerializerWrites()
    {
        foreach (var status in Enum.GetValues<ProcessStatus>())
        {
            var word = JsonSerializer.Serialize(status, ControlJsonContext.Default.Options).Trim('"');
            await Assert.That(ProcessStatusWords.Word(status)).IsEqualTo(word);
            await Assert.That(ProcessStatusWords.Parse(word)).IsEqualTo(status);
        }
    }
}
