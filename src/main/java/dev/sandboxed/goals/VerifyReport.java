package dev.sandboxed.goals;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Condition;
import dev.sandboxed.policy.LoadedPolicy;
import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyFormat;
import dev.sandboxed.policy.PolicyGenerator;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.policy.Run;
import dev.sandboxed.policy.SyscallUse;
import dev.sandboxed.sandbox.FilesystemViolation;
import dev.sandboxed.sandbox.Violation;
import dev.sandboxed.sandbox.Violations;
import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Constants;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Explains violations: each refused call with its arguments spelled symbolically and the exact policy line that
 * would allow it, produced by the same generator {@code sandbox:profile} uses, so pasting it gives what a recording
 * of the call would have given; each refused file access with the filesystem rule that would allow it.
 */
final class VerifyReport {

    private VerifyReport() {
    }

    /**
     * @param rulesFile where a user writes filesystem rules ({@code filesystem.json} next to the policy)
     * @param appliedRules the rules the run applied, written by verify, to start that file from
     */
    /** How a fix that is a policy line to add begins. */
    static final String FIX_PREFIX = "add ";

    static Violations explained(Violations raw, Policy policy, Path rulesFile, Optional<Path> appliedRules) {
        List<Violation> calls = raw.violations().stream()
                .filter(v -> !intendedAnswer(v, policy))
                .map(v -> v.explained(arguments(v), fix(v, policy))).toList();
        List<FilesystemViolation> files = raw.filesystem().stream()
                .map(f -> f.explained(fix(f, rulesFile, appliedRules))).toList();
        return new Violations(calls, files, raw.limits(), raw.warnings());
    }

    /**
     * Whether the policy answers this call on purpose: an unconditional rule gives it a deliberate answer
     * ({@link Policy#isDeliberateAnswer}). Such a call is the policy working as written, not something the
     * application did that the policy failed to foresee.
     */
    static boolean intendedAnswer(Violation v, Policy policy) {
        if (!v.action().equals(Action.Kind.ERRNO.id())) {
            return false;
        }
        return Arch.fromId(v.arch()).map(arch -> policy.rules(arch, v.syscall()).stream().anyMatch(rule ->
                rule.unconditional() && policy.isDeliberateAnswer(rule.action()))).orElse(false);
    }

    /** One line per violation, for the build log and the failure message. */
    static List<String> lines(Violations violations) {
        List<String> lines = new ArrayList<>();
        for (Violation v : violations.violations()) {
            lines.add(v.arch() + " " + v.executable() + ": " + v.syscall() + " \u00d7" + v.count()
                    + (v.arguments().isEmpty() ? "" : " (" + v.arguments() + ")") + " \u2014 " + v.fix());
        }
        for (FilesystemViolation f : violations.filesystem()) {
            lines.add("filesystem" + (f.executable().isEmpty() ? "" : " " + f.executable()) + ": " + f.access() + " "
                    + f.path() + " \u00d7" + f.count() + " (" + f.limit() + ") \u2014 " + f.fix());
        }
        for (String limit : violations.limits()) {
            lines.add("limit " + limit);
        }
        return lines;
    }

    /** {@code arg0 = AF_INET, AF_INET6; arg1 = SOCK_STREAM}: each kept argument's values, by name where one fits. */
    static String arguments(Violation v) {
        Optional<Arch> arch = Arch.fromId(v.arch());
        if (arch.isEmpty() || v.argumentValues().isEmpty()) {
            return "";
        }
        Constants constants = Constants.of(arch.get());
        List<String> parts = new ArrayList<>();
        v.argumentValues().forEach((index, values) -> parts.add("arg" + index + " = " + values.stream()
                .map(value -> describe(constants, v.syscall(), index, value))
                .collect(Collectors.joining(", "))));
        return String.join("; ", parts);
    }

    /**
     * A value by name where the name means exactly that value. For an {@code int} argument the names are compared
     * over the low 32 bits, where a 64-bit flag such as {@code CLONE_CLEAR_SIGHAND} reads as 0; a name that does not
     * evaluate back to the value is not used, and the number is shown instead.
     */
    private static String describe(Constants constants, String syscall, int index, long value) {
        Optional<String> name = constants.describe(syscall, index, value);
        if (name.isEmpty()) {
            return number(value);
        }
        try {
            long named = constants.evaluate(name.get());
            boolean exact = named == value
                    || (value >>> 32) != 0 && (named & 0xffffffffL) == (value & 0xffffffffL);
            return exact ? name.get() : number(value);
        } catch (IllegalArgumentException e) {
            return name.get();
        }
    }

    static String fix(Violation v, Policy policy) {
        Optional<Arch> arch = Arch.fromId(v.arch());
        if (arch.isEmpty()) {
            return "calls through the " + v.arch() + " ABI are always killed and no policy line can allow them: a"
                    + " 64-bit program has no reason to make them, a compromised one uses them to slip past filters";
        }
        if (v.syscall().startsWith("x32:")) {
            return "x32 calls (numbers with bit 0x40000000) are always killed and no policy line can allow them";
        }
        if (v.syscall().equals("unknown")) {
            return v.number() + " is no " + v.arch() + " system call; the policy refuses numbers it does not know";
        }
        if (!policy.architectures().contains(arch.get())) {
            return "the policy has no rules for " + v.arch() + "; add it to \"architectures\"";
        }
        for (Rule rule : policy.rules(arch.get(), v.syscall())) {
            if (!rule.action().permits() && mayMatch(rule, v.argumentValues())) {
                return "the policy refuses it explicitly with " + PolicyFormat.line(arch.get(), rule)
                        + "; change or remove that line";
            }
        }
        List<Rule> allowing = allowingRules(v, arch.get(), policy);
        if (allowing.isEmpty()) {
            return "no rule can allow it on " + v.arch();
        }
        return FIX_PREFIX + allowing.stream().map(rule -> PolicyFormat.line(arch.get(), rule))
                .collect(Collectors.joining(" and "));
    }

    /**
     * The rules {@code sandbox:profile} would write for this call had the recording seen it: per-value rules for
     * the arguments that decide the risk, the namespace mask for {@code clone}, and so on.
     */
    private static List<Rule> allowingRules(Violation v, Arch arch, Policy policy) {
        SortedMap<String, SyscallUse> syscalls = new TreeMap<>();
        syscalls.put(v.syscall(), new SyscallUse(v.count(), 1, v.argumentValues()));
        Component component = new Component(v.executable(), syscalls, new TreeMap<>(), new TreeSet<>());
        Recording recording = Recording.of(new Run("sandbox:verify", 0, "", 0, false, "verify"), arch, component);
        LoadedPolicy generated = PolicyGenerator.generate(recording,
                new PolicyGenerator.Options(policy.defaultAction(), Set.of(arch)));
        String reason = "seen by sandbox:verify: " + v.count() + " call" + (v.count() == 1 ? "" : "s") + " by "
                + v.executable();
        return generated.policy().rules(arch, v.syscall()).stream()
                .filter(rule -> rule.action().permits())
                .map(rule -> rule.withReason(rule.reason().contains("not recorded")
                        ? reason + "; its arguments were not visible, narrow the rule with \"if\"" : reason))
                .toList();
    }

    /** Whether some seen values satisfy every condition; a condition on an argument not seen cannot be ruled out. */
    private static boolean mayMatch(Rule rule, SortedMap<Integer, SortedSet<Long>> values) {
        for (Condition condition : rule.conditions()) {
            SortedSet<Long> seen = values.get(condition.index());
            if (seen != null && seen.stream().noneMatch(condition::matches)) {
                return false;
            }
        }
        return true;
    }

    static String fix(FilesystemViolation f, Path rulesFile, Optional<Path> appliedRules) {
        if (f.limit().equals("read-only root")) {
            return "the container's root filesystem is read-only; if the application must write there, make the"
                    + " directory an output (sandbox.outputs)";
        }
        Path path = Path.of(f.path());
        String list;
        Path grant;
        switch (f.access()) {
            case "read" -> {
                list = "read";
                grant = path;
            }
            case "execute" -> {
                list = "execute";
                grant = path;
            }
            case "write" -> {
                list = "readWrite";
                grant = path;
            }
            default -> {
                list = "readWrite";
                grant = path.getParent() == null ? path : path.getParent();
            }
        }
        return "outside the filesystem rules; if the application needs it, add \"" + grant + "\" to \"" + list
                + "\" in " + rulesFile + appliedRules.map(applied -> " (start from " + applied + ")").orElse("");
    }

    private static String number(long value) {
        return value >= 0 && value < 65536 ? Long.toString(value) : "0x" + Long.toHexString(value);
    }
}
