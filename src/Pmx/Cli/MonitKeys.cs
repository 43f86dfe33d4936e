using Pmx.Control;

namespace Pmx.Cli;

/// <summary>What a key press asks `pmx monit` to do.</summary>
internal enum MonitAction { None, Quit, SelectPrevious, SelectNext }

/// <summary>
/// The keys of `pmx monit`, and which row stays selected when the list changes under it.
/// Ctrl-C arrives as a key because monit sets <see cref="Console.TreatControlCAsInput"/> (the
/// terminal then sends no SIGINT for it), so it is one of the quit keys.
/// </summary>
internal static class MonitKeys
{
    public static MonitAction ActionFor(ConsoleKeyInfo key) => key switch
    {
        { Key: ConsoleKey.Escape } => MonitAction.Quit,
        { KeyChar: 'q' or 'Q' or '\x03' } => MonitAction.Quit,
        { Key: ConsoleKey.C, Modifiers: var m } when m.HasFlag(ConsoleModifiers.Control) => MonitAction.Quit,
        { Key: ConsoleKey.UpArrow } or { KeyChar: 'k' } => MonitAction.SelectPrevious,
        { Key: ConsoleKey.DownArrow } or { KeyChar: 'j' } => MonitAction.SelectNext,
        _ => MonitAction.None,
    };

    /// <summary>The selection after a move, stopping at the first and last row.</summary>
    public static int Move(int selected, MonitAction action, int rowCount) => action switch
    {
        MonitAction.SelectPrevious => Math.Max(0, selected - 1),
        MonitAction.SelectNext => Math.Clamp(selected + 1, 0, Math.Max(0, rowCount - 1)),
        _ => selected,
    };

    /// <summary>
    /// The index of the instance that was selected before a refresh, so the selection follows it
    /// when rows appear or go above it; when it is gone, the same position (or the last row).
    /// </summary>
    public static int Reselect(IReadOnlyList<ProcessInfo> rows, (string Name, int Instance)? previous, int previousIndex)
    {
        if (rows.Count == 0) return 0;
        if (previous is var (name, instance))
            for (var i = 0; i < rows.Count; i++)
                if (rows[i].Name == name && rows[i].Instance == instance) return i;
        return Math.Clamp(previousIndex, 0, rows.Count - 1);
    }
}
