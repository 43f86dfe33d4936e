namespace Pmx.Supervisor;

/// <summary>CPU % between two samples of a process's cumulative CPU time, as `top` shows it.</summary>
internal sealed class CpuMeter
{
    TimeSpan _lastCpu;
    DateTimeOffset _lastAt;

    public double Percent { get; private set; }
    public long MemoryBytes { get; private set; }

    public void Sample(TimeSpan cumulativeCpu, long rssBytes, DateTimeOffset now)
    {
        if (_lastAt != default && now > _lastAt)
            Percent = Math.Max(0, (cumulativeCpu - _lastCpu).TotalMilliseconds / (now - _lastAt).TotalMilliseconds * 100);
        _lastCpu = cumulativeCpu;
        _lastAt = now;
        MemoryBytes = rssBytes;
    }
}
