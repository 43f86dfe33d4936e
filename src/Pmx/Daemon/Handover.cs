using Pmx.Keeper;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>
/// `pmx update`: this daemon gives way to the pmx binary now on disk without a worker noticing.
/// The CLI learns the new binary's hand-over protocol (`pmx __handover-protocol`) and sends it;
/// a protocol this daemon does not share is refused and nothing changes. Otherwise this daemon
/// records its state one last time, asks the keeper to start the new binary as the next daemon,
/// and exits without stopping anything; the new daemon adopts every worker (as after a crash).
/// </summary>
internal sealed class Handover(KeeperLink? keeper, Action<Func<DaemonState>> freezeState, Action exitForHandover)
{
    /// <summary>
    /// What the state file and the keeper's messages mean; a new daemon must understand the old one's.
    /// 2: the keeper re-executes itself as the new binary (`pmx __keeper --resume`, Keeper.KeeperReexec).
    /// </summary>
    public const int ProtocolVersion = 2;
    public const string ProtocolVerb = "__handover-protocol";

    public CommandOutcome Prepare(AppSupervisor supervisor, string binaryPath, string protocolText)
    {
        if (keeper is null)
            return CommandOutcome.Failed("this daemon runs without a keeper (pmx __keeper), so nothing would hold the workers' pipes while it is replaced; restart it instead ('pmx kill', then 'pmx resurrect' after 'pmx save')");
        if (!int.TryParse(protocolText, System.Globalization.NumberStyles.None, null, out var protocol) || protocol != ProtocolVersion)
            return CommandOutcome.Failed($"refused: {binaryPath} speaks hand-over protocol {protocolText}, this daemon (pmx {BuildInfo.Version}) speaks {ProtocolVersion}; the daemon keeps running unchanged. Replace it with 'pmx save', 'pmx kill', 'pmx resurrect' (apps restart)");
        if (!File.Exists(binaryPath))
            return CommandOutcome.Failed($"refused: {binaryPath} does not exist; the daemon keeps running unchanged");
        try { freezeState(supervisor.Snapshot); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandOutcome.Failed($"refused: cannot record the state for the next daemon ({e.Message}); the daemon keeps running unchanged");
        }
        return CommandOutcome.Ok($"daemon pid {Environment.ProcessId} (pmx {BuildInfo.Version}) hands over to {binaryPath}; no worker restarts");
    }

    /// <summary>After the CLI has the answer: the keeper starts <paramref name="binaryPath"/> as the daemon once this one has exited.</summary>
    public void Commit(string binaryPath)
    {
        if (OperatingSystem.IsLinux()) keeper!.RequestUpdate(binaryPath);
        exitForHandover();
    }
}
