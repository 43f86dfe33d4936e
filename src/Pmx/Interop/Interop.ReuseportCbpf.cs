using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    /// <summary>setsockopt(SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF): steers a SO_REUSEPORT group (Linux 4.5+).</summary>
    internal const int SO_ATTACH_REUSEPORT_CBPF = 51;

    // Classic BPF opcodes and the "random u32" ancillary load (linux/filter.h).
    const ushort BPF_LD_W_ABS = 0x20, BPF_ALU_MOD_K = 0x94, BPF_RET_A = 0x16;
    const uint SKF_AD_OFF = unchecked((uint)-0x1000), SKF_AD_RANDOM = 56;

    /// <summary>
    /// Attaches "pick socket number random() % count" to the reuseport group of <paramref name="socket"/>:
    /// new connections then go only to the group's first <paramref name="count"/> sockets (in the
    /// order they joined). Returns 0, or -1 with errno.
    /// </summary>
    internal static unsafe int AttachReuseportSpread(SafeHandle socket, uint count)
    {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
        ulong* program = stackalloc ulong[3];
        program[0] = Instruction(BPF_LD_W_ABS, SKF_AD_OFF + SKF_AD_RANDOM);
        program[1] = Instruction(BPF_ALU_MOD_K, count);
        program[2] = Instruction(BPF_RET_A, 0);
        // struct sock_fprog { u16 len; /* pad */ struct sock_filter* filter; }
        var fprog = stackalloc ulong[2];
        fprog[0] = 3;
        fprog[1] = (ulong)program;
        return setsockopt(socket, SolSocketLevel, SO_ATTACH_REUSEPORT_CBPF, fprog, 16);
    }

    static ulong Instruction(ushort code, uint k) => code | ((ulong)k << 32);
}
