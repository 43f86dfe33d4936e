namespace Pmx;

/// <summary>
/// The version every pmx binary reports, and that the control protocol compares:
/// <c>BuildInfo.Version</c>, a getter the build writes from &lt;Version&gt; in
/// Directory.Build.props (target WriteBuildInfoVersion in Pmx.csproj).
/// </summary>
/// <remarks>
/// A getter returning a literal rather than the assembly's informational-version attribute read
/// back at run time: that read started reflection's metadata and type loader in every CLI process,
/// about an eighth of the CPU time of `pmx list` and `pmx --version`. Neither a const nor an
/// inlinable getter nor a static readonly field: the compilers fold those into other literals and
/// even into machine code (a short string's chars as immediates), so a copy of the binary with its
/// one version literal patched (UpdateTests' stand-in for a new release) would report both versions.
/// </remarks>
internal static partial class BuildInfo;
