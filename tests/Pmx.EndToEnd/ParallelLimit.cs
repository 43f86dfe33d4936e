using TUnit.Core.Interfaces;

[assembly: TUnit.Core.ParallelLimiter<Pmx.EndToEnd.TwoAtATime>]

namespace Pmx.EndToEnd;

/// <summary>
/// Each end-to-end test runs a daemon and real workers; on a 2-core CI machine more than a few at
/// once turns timing-based promises (SIGKILL after kill_timeout) into scheduler noise.
/// </summary>
public sealed class TwoAtATime : IParallelLimit
{
    public int Limit => 3;
}
