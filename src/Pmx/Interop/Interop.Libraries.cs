using System.Runtime.Versioning;

namespace Pmx.Interop;

/// <summary>
/// Every native entry point pmx calls lives in a partial of this class, one file per area
/// (Interop.Spawn.cs, Interop.Signals.cs, …), named after the C function it binds. Linux only:
/// Windows entry points live in Kernel32 and Ws2_32 (Interop.*.Windows.cs).
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class Interop
{
    /// <summary>glibc; bound statically in the AOT binary through DirectPInvoke.</summary>
    internal const string Libc = "libc";
}
