using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>setsockopt(SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF): steers a SO_REUSEPORT group (Linux 4.5+).</summary>
    internal const int SO_ATTACH_REUSEPORT_CBPF = 51;

    // Classic BPF opcodes and the "random u32" ancillary load (linux/filter.h).
    const ushort BPF_LD_W_ABS = 0x20, BPF_ALU_MOD_K = 0x94, BPF_RET_A = 0x16, BPF_RET_K = 0x06, BPF_JEQ_K = 0x15;
    const uint SKF_AD_OFF = unchecked((uint)-0x1000), SKF_AD_RANDOM = 56;
    /// <summary>BPF_MAXINSNS: the longest classic BPF program the kernel takes.</summary>
    const int MaxInstructions = 4096;

    /// <summary>How many group positions <see cref="AttachReuseportSteering"/> can name when they are not simply 0..N-1.</summary>
    internal const int MaxSteeredPositions = (MaxInstructions - 3) / 2;

    /// <summary>
    /// Attaches "pick positions[random() % N]" to the reuseport group of <paramref name="socket"/>:
    /// new connections then go only to the sockets at those positions of the group (the kernel's
    /// order: sockets join at the end at listen(2), and one that leaves is replaced by the last).
    /// Positions 0..N-1 in order take a three-instruction program; any others a jump table.
    /// Returns 0, or -1 with errno (EINVAL for more than <see cref="MaxSteeredPositions"/> positions).
    /// </summary>
    internal static unsafe int AttachReuseportSteering(SafeHandle socket, IReadOnlyList<int> positions)
    {
        var count = (uint)positions.Count;
        var program = new List<ulong>
        {
            Instruction(BPF_LD_W_ABS, SKF_AD_OFF + SKF_AD_RANDOM),
            Instruction(BPF_ALU_MOD_K, count),
        };
        if (positions.Select((position, i) => position == i).All(same => same)) program.Add(Instruction(BPF_RET_A, 0));
        else
        {
            for (var i = 0; i < positions.Count; i++)
            {
                program.Add(Jump(BPF_JEQ_K, (uint)i, ifTrue: 0, ifFalse: 1)); // A == i: the next instruction, else skip it
                program.Add(Instruction(BPF_RET_K, (uint)positions[i]));
            }
            program.Add(Instruction(BPF_RET_K, (uint)positions[0])); // unreachable: a program must end in a return
        }
        if (program.Count > MaxInstructions)
        {
            Marshal.SetLastPInvokeError(22 /* EINVAL */);
            return -1;
        }
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
        var filter = program.ToArray();
        fixed (ulong* instructions = filter)
        {
            // struct sock_fprog { u16 len; /* pad */ struct sock_filter* filter; }
            var fprog = stackalloc ulong[2];
            fprog[0] = (ulong)filter.Length;
            fprog[1] = (ulong)instructions;
            return setsockopt(socket, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog, 16);
        }
    }

    static ulong Jump(ushort code, uint k, byte ifTrue, byte ifFalse) => code | ((ulong)ifTrue << 16) | ((ulong)ifFalse << 24) | ((ulong)k << 32);

    static ulong Instruction(ushort code, uint k) => code | ((ulong)k << 32);
}
