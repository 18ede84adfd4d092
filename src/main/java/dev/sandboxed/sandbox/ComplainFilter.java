package dev.sandboxed.sandbox;

import dev.sandboxed.bpf.Instruction;
import dev.sandboxed.bpf.Opcodes;
import dev.sandboxed.bpf.Program;
import dev.sandboxed.bpf.SeccompCompiler;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The filter of a native complain-mode run: the policy's own program with every return that does not let the call
 * through turned into {@code SECCOMP_RET_TRACE}. Under the tracer each such call stops once, is reported, and goes
 * ahead, so the run continues past every violation and all of them are seen, arguments included. Because the
 * rewrite happens on the compiled program, it covers what the compiler adds beyond the rules as well: calls
 * through a foreign ABI (i386 {@code int 0x80}), x32 numbers and numbers above the table.
 *
 * <p>Calls the policy allows still return {@code ALLOW} from the same paths, so the kernel's filter cache keeps
 * skipping them and they cost nothing. When Landlock confines the run, the calls that name files are stopped as
 * well (see {@link #PATH_SYSCALLS}), so that the tracer can see their result: a call Landlock refused fails with
 * {@code EACCES}, and the path it named is then reported.
 *
 * <p>What the policy would have done with a stopped call is not read from the stop: the tracer runs the unmodified
 * program in the simulator on the call's {@code seccomp_data}, the exact decision the kernel would have made.
 */
final class ComplainFilter {

    /** The calls whose paths the tracer can resolve; Landlock checks each of them. */
    static final Set<String> PATH_SYSCALLS = Set.of("open", "openat", "openat2", "creat", "execve", "execveat",
            "unlink", "unlinkat", "rmdir", "rename", "renameat", "renameat2", "mkdir", "mkdirat");

    private static final int RET_K = Opcodes.RET | Opcodes.K;
    private static final String PATH_REASON = "complain mode: stops so the filesystem rules can be checked";

    private ComplainFilter() {
    }

    /**
     * @param watchPaths also stop at {@link #PATH_SYSCALLS} the policy allows
     * @param weights how often each syscall was recorded, as for the enforcing program
     */
    static Program of(Policy policy, Arch arch, boolean watchPaths, SeccompCompiler compiler, Map<String, Long> weights) {
        Policy compiled = watchPaths ? withPathStops(policy, arch) : policy;
        Program program = compiler.compile(compiled, arch, weights);
        List<Instruction> rewritten = new ArrayList<>();
        int trace = Action.trace(0).seccompReturn();
        for (Instruction instruction : program.instructions()) {
            Action returned = instruction.code() == RET_K ? Action.fromSeccompReturn(instruction.k()) : null;
            boolean deliberate = returned != null && policy.isDeliberateAnswer(returned);
            boolean refuses = returned != null && !returned.permits() && !deliberate;
            rewritten.add(refuses ? Instruction.ret(trace) : instruction);
        }
        return Program.of(rewritten);
    }

    /**
     * The policy with an unconditional {@code trace} rule for each path syscall: it outranks every rule that lets
     * the call through (the most restrictive matching rule wins) and is outranked by every rule that refuses it,
     * which the rewrite turns into a stop anyway.
     */
    private static Policy withPathStops(Policy policy, Arch arch) {
        SyscallTable table = SyscallTable.of(arch);
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : policy.rules(arch)) {
            boolean replaced = PATH_SYSCALLS.contains(rule.syscall()) && rule.unconditional() && rule.action().permits();
            if (!replaced) {
                rules.add(rule);
            }
        }
        for (String syscall : PATH_SYSCALLS) {
            boolean refusedOutright = policy.rules(arch, syscall).stream()
                    .anyMatch(rule -> rule.unconditional() && !rule.action().permits());
            if (table.contains(syscall) && !refusedOutright) {
                rules.add(Rule.of(syscall, Action.trace(0), PATH_REASON));
            }
        }
        SortedMap<Arch, List<Rule>> only = new TreeMap<>();
        only.put(arch, rules);
        return new Policy(policy.defaultAction(), only, policy.runtimeOptions());
    }
}
