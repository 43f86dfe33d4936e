using System.Text;

namespace Pmx.EndToEnd;

/// <summary>`pmx check` as a user runs it: the published binary, a real file, exit code and streams.</summary>
public class CheckCommandTests
{
    [Test, Timeout(30_000)]
    public async Task ExampleFileIsValidAndListsBothApps(CancellationToken ct)
    {
        var result = await PmxRun.Run(["check", "-c", "ecosystem.toml.example"], ct);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        var lines = result.Stdout.TrimEnd().Split('\n');
        await Assert.That(lines.Length).IsEqualTo(2);
        await Assert.That(lines[0]).Matches(@"^web\s+2 ×\s+\./artifacts/samples/dotnet-web/dotnet-web\s+cluster 127\.0\.0\.1:8080\s+wait_ready 10s\s+kill SIGTERM/5s$");
        await Assert.That(lines[1]).Matches(@"^heartbeat\s+1 ×\s+sh \./samples/heartbeat\.sh\s+fork\s+kill SIGTERM/2s$");
    }

    [Test, Timeout(30_000)]
    public async Task ExampleFileAcceptsTheProductionEnv(CancellationToken ct)
    {
        var result = await PmxRun.Run(["check", "-c", "ecosystem.toml.example", "--env", "production"], ct);
        await Assert.That(result.ExitCode).IsEqualTo(0);
    }

    [Test, Timeout(30_000)]
    public async Task UnknownKeyExitsTwoAndNamesFileLineAndSuggestion(CancellationToken ct)
    {
        var result = await CheckFile("[[apps]]\nname = \"web\"\nscript = \"sh\"\ninstnces = 4\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stdout).IsEqualTo("");
        await Assert.That(result.Stderr).IsEqualTo("bad.toml:4:1: unknown key 'instnces' in [[apps]] 'web' (did you mean 'instances'?)\n");
    }

    [Test, Timeout(30_000)]
    public async Task EveryErrorOfTheFileIsPrinted(CancellationToken ct)
    {
        var result = await CheckFile("[[apps]]\nname = \"web\"\nscript = \"sh\"\nport = 0\nkill_timeout = -5\n[[apps]]\nscript = \"sh\"\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        var lines = result.Stderr.TrimEnd().Split('\n');
        await Assert.That(lines.Length).IsEqualTo(3);
        await Assert.That(lines[0]).StartsWith("bad.toml:4:1: 'port'");
        await Assert.That(lines[1]).StartsWith("bad.toml:5:1: 'kill_timeout'");
        await Assert.That(lines[2]).StartsWith("bad.toml:6:1: [[apps]] #2 has no 'name'");
    }

    [Test, Timeout(30_000)]
    public async Task SyntaxErrorExitsTwoWithLineAndColumn(CancellationToken ct)
    {
        var result = await CheckFile("[[apps]]\nname = \"web\"\nport =\n", ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).StartsWith("bad.toml:3:7: ");
    }

    [Test, Timeout(30_000)]
    public async Task InvalidUtf8ExitsTwoAndPointsAtTheByte(CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes("[[apps]]\nname = \"web\"\nscript = \"").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"\n")).ToArray();
        var result = await CheckFile(bytes, ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).IsEqualTo("bad.toml:3:11: invalid UTF-8 (byte 0xFF at offset 32); save the file as UTF-8\n");
    }

    [Test, Timeout(30_000)]
    public async Task MissingFileExitsTwoAndSaysWhatToDo(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("pmx-check-");
        try
        {
            var result = await PmxRun.Run(["check"], ct, cwd: dir.FullName);
            await Assert.That(result.ExitCode).IsEqualTo(2);
            await Assert.That(result.Stderr).IsEqualTo(
                "pmx: cannot read 'ecosystem.toml': no such file (run pmx in the folder holding it, or pass -c FILE)\n");
        }
        finally { dir.Delete(recursive: true); }
    }

    [Test, Timeout(30_000)]
    public async Task EnvThatNoAppDefinesExitsTwo(CancellationToken ct)
    {
        var result = await PmxRun.Run(["check", "-c", "ecosystem.toml.example", "--env", "prod"], ct);
        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains("pmx: --env prod: no app in ecosystem.toml.example has an [apps.env_prod] table (defined: production)");
    }

    internal static Task<RunResult> CheckFile(string text, CancellationToken ct) => CheckFile(Encoding.UTF8.GetBytes(text), ct);

    internal static async Task<RunResult> CheckFile(byte[] content, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("pmx-check-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "bad.toml"), content, ct);
            return await PmxRun.Run(["check", "-c", "bad.toml"], ct, cwd: dir.FullName);
        }
        finally { dir.Delete(recursive: true); }
    }
}
