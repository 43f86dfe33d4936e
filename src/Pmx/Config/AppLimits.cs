namespace Pmx.Config;

/// <summary>
/// Upper bounds on numbers a config or a command may ask for. Past them a request is a typo or an
/// attack, not a deployment: each one is refused with exit 2, naming the key and the limit.
/// </summary>
internal static class AppLimits
{
    /// <summary>instances and `pmx scale`: far above any machine's useful worker count.</summary>
    public const int MaxInstances = 4096;
    /// <summary>log_retain: rotated files kept per log.</summary>
    public const int MaxLogRetain = 1000;
    /// <summary>App names: they appear in file names, socket names and every log line.</summary>
    public const int MaxNameLength = 100;
    /// <summary>
    /// Arrays and inline tables inside one another: an ecosystem file needs three or four levels;
    /// the TOML parser recurses per level, and 100 000 of them overflow its stack.
    /// </summary>
    public const int MaxNestingDepth = 64;
    /// <summary>
    /// Bytes of one config file: a large ecosystem file is a few KB. The daemon re-reads configs on
    /// reload, so `-c /dev/zero` or a runaway generated file must not fill its memory.
    /// </summary>
    public const int MaxConfigBytes = 16 * 1024 * 1024;
}
