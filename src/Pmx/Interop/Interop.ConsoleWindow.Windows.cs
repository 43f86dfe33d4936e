using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Pmx.Interop;

/// <summary>user32 entry points; loaded only when a console window exists to hide.</summary>
[SupportedOSPlatform("windows")]
internal static partial class User32
{
    internal const int SW_HIDE = 0;

    /// <summary>Returns whether the window was visible before; not an error code.</summary>
    [LibraryImport("user32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool ShowWindow(nint window, int command);
}
