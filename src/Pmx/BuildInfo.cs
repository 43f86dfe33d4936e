namespace Pmx;

/// <summary>
/// The version every pmx binary reports, and that the control protocol compares:
/// <c>BuildInfo.Version</c>, a constant the build writes from &lt;Version&gt; in
/// Directory.Build.props (target WriteBuildInfoVersion in Pmx.csproj).
/// </summary>
/// <remarks>
/// A constant rather than the assembly's informational-version attribute read back at run time:
/// that read started reflection's metadata and type loader in every CLI process, about an eighth
/// of the CPU time of `pmx list` and `pmx --version`.
/// </remarks>
internal static partial class BuildInfo;
