using System.Buffers.Binary;

namespace Pmx.EndToEnd;

/// <summary>
/// Reads the segment types of a 64-bit little-endian ELF file (x86-64, arm64). A dynamically linked
/// program names its loader in a PT_INTERP segment (e.g. /lib64/ld-linux-x86-64.so.2); a static one
/// has none, which is what lets it run in an empty root. Layout: the ELF specification, elf(5).
/// </summary>
public static class ElfProgramHeaders
{
    public const uint PtInterp = 3;

    public static IReadOnlyList<uint> SegmentTypes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException($"{path} is not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file (class {bytes[4]}, data {bytes[5]})");
        var table = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x20))); // e_phoff
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x36));            // e_phentsize
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x38));                // e_phnum
        var types = new List<uint>(count);
        for (var i = 0; i < count; i++)
            types.Add(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(table + i * entrySize))); // p_type
        return types;
    }

    public static bool HasInterpreter(string path) => SegmentTypes(path).Contains(PtInterp);
}
