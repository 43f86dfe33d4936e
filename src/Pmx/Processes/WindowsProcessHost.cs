using System.Runtime.Versioning;

namespace Pmx.Processes;

[SupportedOSPlatform("windows")]
internal sealed class WindowsProcessHost : IProcessHost
{
    public SpawnedProcess Spawn(SpawnRequest request) => throw new NotImplementedException();
    public SignalOutcome Stop(int pid, int killSignal) => throw new NotImplementedException();
    public SignalOutcome Kill(int pid) => throw new NotImplementedException();
    public SignalOutcome SendSignal(int pid, int signal) => SignalOutcome.NotSupported;
    public IDisposable WatchExits(Action<int, ExitStatus> onExit) => throw new NotImplementedException();
}
