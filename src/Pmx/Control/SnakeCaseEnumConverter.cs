using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pmx.Control;

/// <summary>
/// Writes enum values as the words users read and type: "online", "cluster", "per_instance" (the
/// same spelling as ecosystem.toml). Numbers are refused, so a value written by a newer build is an
/// error rather than a silently wrong state.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
