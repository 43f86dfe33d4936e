using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Pmx.Control;

namespace Pmx.Windows;

/// <summary>
/// Who may open the pipes pmx.exe creates under Wine (issue 13: "the control pipe refusing a second
/// user where Wine allows testing it"). Wine has one user, so no second user can knock; what can be
/// read is each pipe's security descriptor, as the Windows test worker's --describe-pipe prints it:
/// the owner and every ACE. The bar: the owner is the current user's SID and the one ACE grants
/// that SID, nothing for Everyone, Anonymous, Users or any other SID or group.
/// And the client half: the CLI refuses a pipe of the control pipe's name owned by someone else.
/// </summary>
[ClassDataSource<WinePrefix>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(PipeSecurityTests))]
public sealed partial class PipeSecurityTests(WinePrefix prefix)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    static readonly string TestWorkerExe = WindowsTestWorker.Exe;

    [Before(Test)]
    public void NeedsWineAndTheWindowsTestWorker() => WindowsTestWorker.SkipUnlessReady(prefix);

    [Test, Timeout(240_000)]
    public async Task TheControlPipeGrantsOnlyTheCurrentUser(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var ping = await home.Pmx(ct, "ping");
        await Assert.That(ping.ExitCode).IsEqualTo(0).Because(ping.Stderr + home.DaemonLog);
        var name = ControlPipeName.OfHome(WinePmx.WindowsPath(home.Path));

        var describe = await WinePmx.RunTool("wine", [TestWorkerExe, "--describe-pipe", name, "--exit", "0"], prefix, Deadline, ct);

        await Assert.That(describe.ExitCode).IsEqualTo(0).Because(describe.Stdout + describe.Stderr);
        await AssertOnlyTheCurrentUserIsGranted(PipeAcl.Parse(describe.Stdout, name));
    }

    /// <summary>
    /// A pipe of the control pipe's name created first by someone else: the CLI must not talk to it.
    /// "Someone else" is the token's default owner, a group under Wine 8 (one user, no other to use).
    /// </summary>
    [Test, Timeout(240_000)]
    public async Task TheCliRefusesAControlPipeOwnedBySomeoneElse(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);
        var name = ControlPipeName.OfHome(WinePmx.WindowsPath(home.Path));
        var psi = prefix.StartInfo("wine");
        foreach (var arg in (string[])[TestWorkerExe, "--squat-pipe", name]) psi.ArgumentList.Add(arg);
        using var squatter = Process.Start(psi)!;
        try
        {
            var said = new StringBuilder();
            squatter.OutputDataReceived += (_, e) => { lock (said) said.AppendLine(e.Data); };
            squatter.BeginOutputReadLine();
            string Said() { lock (said) return said.ToString(); }
            await Poll.Until(() => Said().Contains("squatting pipe"), Deadline, "the squatter's pipe", ct);
            var owners = Regex.Match(Said(), @"owner=(\S+) user=(\S+)");
            if (owners.Groups[1].Value == owners.Groups[2].Value)
                Skip.Test($"this Wine's token owner is the user ({owners.Groups[2].Value}): no other owner to squat with");

            var list = await home.Pmx(ct, "list");

            await Assert.That(list.ExitCode).IsNotEqualTo(0).Because(list.Stdout + list.Stderr);
            await Assert.That(list.Stderr).Contains("belongs to another user").Because($"exit {list.ExitCode}: {list.Stdout}{list.Stderr}");
            await Assert.That(list.Stderr).Contains(owners.Groups[1].Value);
            await Assert.That(list.Stdout + list.Stderr).DoesNotContain("   at ").Because("a refusal is a message, not a stack trace");
        }
        finally
        {
            squatter.Kill(entireProcessTree: true);
        }
    }

    [Test, Timeout(300_000)]
    public async Task AWorkersHandoffPipeGrantsOnlyTheCurrentUser(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);

        // A cluster app that is not node.exe gets a hand-off pipe, its name in PMX_HANDOFF_PIPE.
        var log = await DescribeFromAWorker(home, TestWorkerExe, "env:PMX_HANDOFF_PIPE", ct);

        await AssertOnlyTheCurrentUserIsGranted(PipeAcl.Parse(log, HandoffPipeName().Match(log).Groups[1].Value));
    }

    /// <summary>
    /// A worker whose program is node.exe gets Node's IPC channel: a pipe pmx creates and connects
    /// itself before the worker exists. The node.exe here is the test worker under that name (a
    /// folder of links to its files), so it can read the ACL of the pipe it inherited.
    /// </summary>
    [Test, Timeout(300_000)]
    public async Task ANodeWorkersChannelPipeGrantsOnlyTheCurrentUser(CancellationToken ct)
    {
        await using var home = new WineHome(prefix);

        var log = await DescribeFromAWorker(home, TestWorkerNamedNode(home.Path), "node-channel", ct);

        await AssertOnlyTheCurrentUserIsGranted(PipeAcl.Parse(log, "node-channel"));
    }

    /// <summary>Runs <paramref name="program"/> as one cluster worker with --describe-pipe <paramref name="pipe"/>; returns its output once described, after `down`.</summary>
    static async Task<string> DescribeFromAWorker(WineHome home, string program, string pipe, CancellationToken ct)
    {
        var config = Path.Combine(home.Path, "ecosystem.toml");
        File.WriteAllText(config, $"""
            [[apps]]
            name = "w"
            script = '{WinePmx.WindowsPath(program)}'
            args = ["--describe-pipe", "{pipe}"]
            interpreter = "none"
            exec_mode = "cluster"
            port = {WinePmx.FreePort()}
            host = "127.0.0.1"
            kill_timeout = 2000
            """);
        var up = await home.Pmx(ct, "up", "-c", WinePmx.WindowsPath(config));
        await Assert.That(up.ExitCode).IsEqualTo(0).Because(up.Stderr + home.DaemonLog);
        var log = Path.Combine(home.Path, "logs", "w-0-out.log");
        string OutLog() => File.Exists(log) ? File.ReadAllText(log) : "";
        await Poll.Until(() => Regex.IsMatch(OutLog(), " (sddl|error)="), Deadline, $"the worker's description of pipe {pipe}", ct);
        var down = await home.Pmx(ct, "down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stderr + home.DaemonLog);
        return OutLog();
    }

    /// <summary>
    /// The test worker's folder as links, with node.exe one more link to testworker.exe: the apphost
    /// looks for testworker.dll beside the path it was started as.
    /// </summary>
    static string TestWorkerNamedNode(string home)
    {
        var folder = Directory.CreateDirectory(Path.Combine(home, "node")).FullName;
        var source = Path.GetDirectoryName(TestWorkerExe)!;
        foreach (var file in Directory.EnumerateFiles(source))
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), file);
        var node = Path.Combine(folder, "node.exe");
        File.CreateSymbolicLink(node, TestWorkerExe);
        return node;
    }

    /// <summary>
    /// The user's SID, not the token's default owner: .NET's CurrentUserOnly grants the latter, which
    /// under Wine 8 is the group S-1-5-21-0-0-0-513 (and BUILTIN\Administrators for an elevated
    /// Windows token), so a pipe made that way admitted a whole group.
    /// </summary>
    static async Task AssertOnlyTheCurrentUserIsGranted(PipeAcl acl)
    {
        if (acl.Error is { } error && error.Contains("0x80070032", StringComparison.Ordinal))
            Skip.Test($"Wine does not implement this pipe's security descriptor: {error}");
        await Assert.That(acl.Error).IsNull();
        await Assert.That(acl.User).IsNotNull().Because(acl.Text);
        await Assert.That(acl.Owner).IsEqualTo(acl.User).Because(acl.Text);
        await Assert.That(acl.Aces.Count).IsEqualTo(1).Because(acl.Text);
        await Assert.That(acl.Aces[0]).StartsWith($"Allow {acl.User} ").Because(acl.Text);
        foreach (var broad in BroadSids)
            await Assert.That(acl.Sddl).DoesNotContain($";;;{broad})").Because(acl.Text);
    }

    /// <summary>Everyone, Anonymous, Authenticated Users, Network, BUILTIN\Users, Guests: SDDL names and SIDs.</summary>
    static readonly string[] BroadSids = ["WD", "AN", "AU", "NU", "BU", "BG", "S-1-1-0", "S-1-5-7", "S-1-5-11", "S-1-5-2", "S-1-5-32-545", "S-1-5-32-546"];

    /// <summary>What --describe-pipe printed for one pipe.</summary>
    sealed record PipeAcl(string Text, string? Error, string? User, string? TokenOwner, string? Owner, IReadOnlyList<string> Aces, string Sddl)
    {
        public static PipeAcl Parse(string output, string name)
        {
            var facts = output.Split('\n')
                .Select(line => Regex.Match(line.TrimEnd('\r'), $@"\bpipe {Regex.Escape(name)} ([a-z-]+)=(.*)$"))
                .Where(m => m.Success)
                .Select(m => (Key: m.Groups[1].Value, Value: m.Groups[2].Value))
                .ToList();
            string? Fact(string key) => facts.FirstOrDefault(f => f.Key == key).Value;
            return new PipeAcl(output, Fact("error"), Fact("user"), Fact("token-owner"), Fact("owner"),
                [.. facts.Where(f => f.Key == "ace").Select(f => f.Value)], Fact("sddl") ?? "");
        }
    }

    [GeneratedRegex(@"pipe (\S+) (?:user|error)=")]
    private static partial Regex HandoffPipeName();
}
