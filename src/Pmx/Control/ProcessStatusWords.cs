namespace Pmx.Control;

/// <summary>
/// A status as users read it and scripts parse it (PM2's words, DESIGN §7): "online", "errored".
/// Spelled out rather than derived from the enum's name, which in Native AOT goes through reflection.
/// </summary>
internal static class ProcessStatusWords
{
    public static string Word(ProcessStatus status) => status switch
    {
        ProcessStatus.Launching => "launching",
        ProcessStatus.Online => "online",
        ProcessStatus.Stopping => "stopping",
        ProcessStatus.Stopped => "stopped",
        ProcessStatus.Errored => "errored",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "pmx internal error: a status without a word"),
    };

    /// <exception cref="System.Text.Json.JsonException">Not one of the words (a newer daemon's status).</exception>
    public static ProcessStatus Parse(string? word) => word switch
    {
        "launching" => ProcessStatus.Launching,
        "online" => ProcessStatus.Online,
        "stopping" => ProcessStatus.Stopping,
        "stopped" => ProcessStatus.Stopped,
        "errored" => ProcessStatus.Errored,
        _ => throw new System.Text.Json.JsonException($"unknown process status '{word}'"),
    };
}
