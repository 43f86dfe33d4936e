namespace Pmx.Control;

/// <summary>
/// The fields of a request that every protocol version shares (see <see cref="ControlProtocol"/>).
/// The daemon reads these first, so a request from a CLI of another version is answered with a
/// clear mismatch message instead of whatever error the full shape would fail with.
/// </summary>
internal sealed record ControlRequestHeader
{
    public int? ProtocolVersion { get; init; }
    public string? PmxVersion { get; init; }
    public string? Command { get; init; }
}
