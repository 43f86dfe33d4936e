using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Pmx.Config;

/// <summary>
/// Reads a file into Tomlyn's generic model (TomlTable) rather than a typed class: strict
/// validation must see every key, and typed deserialization silently drops unknown ones.
/// Source-generated because Native AOT turns Tomlyn's reflection path off.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
    public ConfigTomlContext(TomlSerializerOptions options) : base(options) { }
}
