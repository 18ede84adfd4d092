package dev.sandboxed.ebpf;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AssemblerTest {

    private static String hex(Assembler a) {
        return HexFormat.of().formatHex(a.assemble());
    }

    @Test
    void encodesAsTheKernelDocumentsIt() {
        // r0 = 0; exit  (Documentation/bpf/standardization/instruction-set.rst encodings)
        assertEquals("b700000000000000" + "9500000000000000", hex(new Assembler().mov(Register.R0, 0).exit()));
        // r6 = r1; *(u32 *)(r10 - 4) = r0; r2 = *(u64 *)(r6 + 8)
        assertEquals("bf16000000000000" + "630afcff00000000" + "7962080000000000",
                hex(new Assembler().mov(Register.R6, Register.R1).store(Size.WORD, Register.R10, -4, Register.R0)
                        .load(Size.DOUBLE, Register.R2, Register.R6, 8)));
        // lock *(u64 *)(r0 + 0) += r1; call 14
        assertEquals("db10000000000000" + "850000000e000000",
                hex(new Assembler().atomicAdd(Register.R0, 0, Register.R1).call(Helper.GET_CURRENT_PID_TGID)));
        // r1 = map fd 7: ld_imm64 with src = BPF_PSEUDO_MAP_FD, two slots
        assertEquals("1811000007000000" + "0000000000000000", hex(new Assembler().loadMap(Register.R1, 7)));
    }

    @Test
    void jumpsResolveForwardAndBackward() {
        Assembler a = new Assembler();
        Label end = a.newLabel();
        Label top = a.newLabel();
        a.bind(top).jump(JumpOp.JEQ, Register.R1, 5, end).alu(AluOp.ADD, Register.R1, 1).jump(top).bind(end).exit();
        assertEquals("1501020005000000" + "0701000001000000" + "0500fdff00000000"
                + "9500000000000000", hex(a));
    }

    @Test
    void unboundLabelsAndDoubleBindingsAreRefused() {
        Assembler a = new Assembler();
        Label nowhere = a.newLabel();
        a.jump(nowhere).exit();
        assertEquals("label L0 is used but never bound", assertThrows(IllegalStateException.class, a::assemble).getMessage());
        Label twice = a.newLabel();
        a.bind(twice);
        assertThrows(IllegalStateException.class, () -> a.bind(twice));
    }
}
