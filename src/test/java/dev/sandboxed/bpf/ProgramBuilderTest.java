package dev.sandboxed.bpf;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SeccompData;
import org.junit.jupiter.api.Test;

import static dev.sandboxed.bpf.Opcodes.ADD;
import static dev.sandboxed.bpf.Opcodes.JEQ;
import static dev.sandboxed.bpf.Opcodes.JGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramBuilderTest {

    /** {@code A += 0}: a filler that changes nothing, to push targets out of a conditional jump's reach. */
    private static final Instruction FILLER = Instruction.alu(ADD, 0);

    @Test
    void resolvesLabelsToOffsets() {
        ProgramBuilder b = new ProgramBuilder();
        Label yes = b.newLabel("yes");
        Label no = b.newLabel("no");
        b.emit(Instruction.loadWord(0)).jump(JEQ, 7, yes, no).bind(no).ret(1).bind(yes).ret(2);
        Program program = b.build();
        assertEquals(new Instruction(0x15, 1, 0, 7), program.instruction(1));
        assertEquals(2, run(program, 7).returnValue());
        assertEquals(1, run(program, 8).returnValue());
    }

    @Test
    void farReturnsAreCopiedNextToTheJumpAtNoCost() {
        ProgramBuilder b = new ProgramBuilder();
        Label far = b.newLabel("far");
        Label near = b.newLabel("near");
        b.emit(Instruction.loadWord(0)).jump(JEQ, 7, far, near).bind(near);
        for (int i = 0; i < 300; i++) {
            b.emit(FILLER);
        }
        b.ret(1).bind(far).ret(2);
        Program program = b.build();
        Verifier.verify(program);
        assertEquals(2, run(program, 7).returnValue());
        // load, jump, return: the copy sits right after the jump.
        assertEquals(3, run(program, 7).executed());
        assertEquals(1, run(program, 8).returnValue());
        assertEquals(303, run(program, 8).executed(), "load, jump, 300 fillers, return");
    }

    @Test
    void farCodeIsReachedThroughOneUnconditionalJump() {
        ProgramBuilder b = new ProgramBuilder();
        Label far = b.newLabel("far");
        Label near = b.newLabel("near");
        b.emit(Instruction.loadWord(0)).jump(JGE, 7, far, near).bind(near);
        for (int i = 0; i < 600; i++) {
            b.emit(FILLER);
        }
        b.ret(1).bind(far);
        Label eight = b.newLabel("eight");
        Label other = b.newLabel("other");
        b.jump(JEQ, 8, eight, other).bind(other).ret(3).bind(eight).ret(4);
        Program program = b.build();
        Verifier.verify(program);
        for (Instruction insn : program.instructions()) {
            assertTrue(insn.jt() <= 255 && insn.jf() <= 255);
        }
        assertEquals(3, run(program, 7).returnValue());
        assertEquals(4, run(program, 8).returnValue());
        assertEquals(5, run(program, 8).executed(), "load, jge, ja, jeq, ret");
        assertEquals(1, run(program, 6).returnValue());
    }

    @Test
    void manyFarJumpsStillResolve() {
        ProgramBuilder b = new ProgramBuilder();
        Label end = b.newLabel("end");
        b.emit(Instruction.loadWord(0));
        for (int i = 0; i < 400; i++) {
            Label next = b.newLabel("next");
            b.jump(JEQ, i, end, next).bind(next);
        }
        b.ret(0).bind(end).emit(FILLER).ret(5);
        Program program = b.build();
        Verifier.verify(program);
        for (int nr = 0; nr < 401; nr++) {
            assertEquals(nr < 400 ? 5 : 0, run(program, nr).returnValue(), "nr " + nr);
        }
    }

    @Test
    void tooLongProgramsFailWithTheLengthTheLimitAndWhatToDo() {
        ProgramBuilder b = new ProgramBuilder();
        for (int i = 0; i < 5000; i++) {
            b.emit(FILLER);
        }
        b.ret(0);
        ProgramTooLargeException e = assertThrows(ProgramTooLargeException.class, b::build);
        assertTrue(e.getMessage().contains("5001"), e.getMessage());
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        assertTrue(e.getMessage().contains("fewer argument rules"), e.getMessage());
    }

    @Test
    void refusesLabelMisuse() {
        ProgramBuilder b = new ProgramBuilder();
        Label unbound = b.newLabel("unbound");
        b.jumpAlways(unbound).ret(0);
        assertThrows(IllegalStateException.class, b::build);

        ProgramBuilder backwards = new ProgramBuilder();
        Label start = backwards.newLabel("start");
        backwards.bind(start).emit(FILLER).jumpAlways(start).ret(0);
        assertThrows(IllegalStateException.class, backwards::build);

        ProgramBuilder twice = new ProgramBuilder();
        Label label = twice.newLabel("twice");
        twice.bind(label);
        assertThrows(IllegalStateException.class, () -> twice.bind(label));

        ProgramBuilder other = new ProgramBuilder();
        assertThrows(IllegalArgumentException.class, () -> other.jumpAlways(label));
    }

    private static Simulator.Result run(Program program, int nr) {
        return Simulator.run(program, SeccompData.of(Arch.X86_64, nr));
    }
}
