using System.Text.Json.Serialization;
using Pmx.Config;

namespace Pmx.Control;

/// <summary>
/// The one JSON shape of the control protocol and of `pmx list --json`: snake_case names,
/// enums as snake_case words, source-generated so Native AOT needs no reflection.
/// </summary>
/// <remarks>
/// Unknown properties are ignored on read, so a newer peer can add fields without breaking an
/// older one; a change an older peer would misread bumps <see cref="ControlProtocol.Version"/>.
/// Nullable annotations are enforced, so a missing or null required value fails at the boundary.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    Converters =
    [
        typeof(SnakeCaseEnumConverter<ControlEventType>),
        typeof(SnakeCaseEnumConverter<ProcessStatus>),
        typeof(SnakeCaseEnumConverter<ReadinessState>),
        typeof(SnakeCaseEnumConverter<ExecMode>),
        typeof(SnakeCaseEnumConverter<ReusePortMode>),
    ])]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlRequestHeader))]
[JsonSerializable(typeof(ControlEvent))]
[JsonSerializable(typeof(IReadOnlyList<ProcessInfo>))]
[JsonSerializable(typeof(AppDetails))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
