package dev.sandboxed.bpf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.sandboxed.bpf.Opcodes.JEQ;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramTest {

    @Test
    void encodesStructSockFilterLittleEndian() {
        Program program = Program.of(
                Instruction.jump(JEQ, 0xc000003e, 1, 2),
                Instruction.ret(0x7fff0000));
        byte[] expected = {
                0x15, 0x00, 0x01, 0x02, 0x3e, 0x00, 0x00, (byte) 0xc0,
                0x06, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x7f};
        assertArrayEquals(expected, program.toBytes());
    }

    @Test
    void decodesWhatItEncodes() {
        Random random = new Random(3);
        List<Instruction> instructions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            instructions.add(new Instruction(random.nextInt(0x10000), random.nextInt(256), random.nextInt(256),
                    random.nextInt()));
        }
        Program program = Program.of(instructions);
        assertEquals(program, Program.fromBytes(program.toBytes()));
        assertEquals(500 * Instruction.SIZE, program.toBytes().length);
    }

    @Test
    void refusesBytesThatAreNotWholeInstructions() {
        InvalidProgramException e = assertThrows(InvalidProgramException.class, () -> Program.fromBytes(new byte[12]));
        assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
        assertThrows(InvalidProgramException.class, () -> Program.fromBytes(new byte[0]));
    }

    @Test
    void refusesMoreThanTheKernelLimit() {
        List<Instruction> instructions = Collections.nCopies(Opcodes.MAX_INSTRUCTIONS + 1, Instruction.ret(0));
        ProgramTooLargeException e = assertThrows(ProgramTooLargeException.class, () -> Program.of(instructions));
        assertEquals(4097, e.length());
        assertEquals(4096, e.limit());
        assertEquals(4096, Program.of(instructions.subList(0, 4096)).length());
    }

    @Test
    void instructionFieldsKeepTheirWidths() {
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0x10000, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0x15, 256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0x15, 0, -1, 0));
    }
}
