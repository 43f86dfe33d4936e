using System.Runtime.Versioning;

namespace Pmx.Interop;

/// <summary>
/// Windows entry points in kernel32, one file per area (Interop.CreateProcess.Windows.cs, …).
/// A class of its own: the Interop class is Linux-only, and CA1416 keeps each side to its OS.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class Kernel32
{
    internal const string Library = "kernel32.dll";

    internal const uint HANDLE_FLAG_INHERIT = 0x1;
}
