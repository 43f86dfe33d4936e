using System.Globalization;

namespace Pmx.Control;

/// <summary>
/// The control pipe's name for a PMX_HOME folder, as Windows spells it (Z:\… under Wine). A pure
/// function of the text, free of any OS, so the Windows lane's tests on Linux name the same pipe
/// the daemon under Wine creates.
/// </summary>
internal static class ControlPipeName
{
    /// <summary>"pmx-" and a 64-bit FNV-1a of <paramref name="home"/>, upper-cased (Windows paths ignore case).</summary>
    public static string OfHome(string home)
    {
        // FNV-1a, not SHA-256: a name, not a secret, and System.Security.Cryptography must stay out of pmx.
        var hash = 14695981039346656037UL;
        foreach (var c in home.ToUpperInvariant()) hash = (hash ^ c) * 1099511628211UL;
        return "pmx-" + hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
