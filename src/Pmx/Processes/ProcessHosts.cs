namespace Pmx.Processes;

/// <summary>The one place that picks this platform's <see cref="IProcessHost"/>.</summary>
internal static class ProcessHosts
{
    public static IProcessHost ForThisPlatform()
    {
        if (OperatingSystem.IsLinux()) return new LinuxProcessHost(Environment.ProcessPath!);
        if (OperatingSystem.IsWindows()) return new WindowsProcessHost();
        throw new PlatformNotSupportedException($"pmx supervises workers on Linux and Windows, not on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }
}
