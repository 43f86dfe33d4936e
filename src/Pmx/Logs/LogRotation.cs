namespace Pmx.Logs;

/// <summary>
/// The rotated-file naming scheme: `x.log` is current, `x.log.1` the newest rotated file,
/// `x.log.N` the oldest kept. Shared by the writer (rotate), `pmx flush` (delete) and `pmx logs`
/// (read the previous file when following).
/// </summary>
internal static class LogRotation
{
    public static string RotatedPath(string path, int generation) => $"{path}.{generation}";

    /// <summary>
    /// Shifts `x.log.(k)` to `x.log.(k+1)`, renames `x.log` to `x.log.1`, and deletes what falls
    /// beyond <paramref name="retain"/> (also files left over from a larger retain). With retain 0
    /// the current file is simply deleted. The caller has closed `x.log` first. Renames keep each
    /// file whole, so a reader holding one open keeps reading it to its end.
    /// </summary>
    public static void Rotate(string path, int retain)
    {
        DeleteFrom(path, Math.Max(retain, 1));
        for (var generation = retain - 1; generation >= 1; generation--)
        {
            var from = RotatedPath(path, generation);
            if (File.Exists(from)) File.Move(from, RotatedPath(path, generation + 1), overwrite: true);
        }
        if (retain >= 1) File.Move(path, RotatedPath(path, 1), overwrite: true);
        else File.Delete(path);
    }

    /// <summary>Deletes `x.log.(first)`, `x.log.(first+1)`, … up to the first gap.</summary>
    public static void DeleteFrom(string path, int first)
    {
        for (var generation = Math.Max(first, 1); File.Exists(RotatedPath(path, generation)); generation++)
            File.Delete(RotatedPath(path, generation));
    }

    /// <summary>Rotated files of <paramref name="path"/> that exist, newest first.</summary>
    public static IReadOnlyList<string> ExistingRotated(string path)
    {
        var found = new List<string>();
        for (var generation = 1; File.Exists(RotatedPath(path, generation)); generation++)
            found.Add(RotatedPath(path, generation));
        return found;
    }
}
