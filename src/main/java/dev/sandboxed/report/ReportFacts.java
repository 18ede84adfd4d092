package dev.sandboxed.report;

import dev.sandboxed.policy.Component;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.PolicyDiff;
import dev.sandboxed.policy.Recording;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the sections derive from the input, computed once so that the summary at the top and the detail below can
 * never disagree about a number.
 */
final class ReportFacts {

    /** What one card of the report is about: a recorded program, or the whole policy when nothing was recorded. */
    record Subject(Arch arch, String name, Optional<Component> recorded) {
    }

    /** A risky syscall the policy lets through on at least one architecture. */
    record RiskyAllowance(String syscall, Risk risk, SortedMap<Arch, Allowance> allowance,
                          SortedMap<Arch, List<String>> conditions, SortedSet<String> users) {

        boolean narrowedEverywhere() {
            return allowance.values().stream().allMatch(a -> a != Allowance.ALLOWED);
        }
    }

    private final ReportInput input;
    private final Map<Arch, SortedSet<String>> permitted = new EnumMap<>(Arch.class);
    private final Map<Arch, SortedSet<String>> dockerPermitted = new EnumMap<>(Arch.class);
    private final List<Subject> subjects = new ArrayList<>();
    private final List<RiskyAllowance> risky = new ArrayList<>();
    private final Optional<String> diffText;
    private final Optional<DiffSummary> diffSummary;

    ReportFacts(ReportInput input) {
        this.input = input;
        Policy policy = input.policy();
        for (Arch arch : policy.architectures()) {
            permitted.put(arch, Collections.unmodifiableSortedSet(Allowance.permitted(policy, arch)));
        }
        input.dockerDefault().ifPresent(docker -> docker.architectures().forEach(arch ->
                dockerPermitted.put(arch, Collections.unmodifiableSortedSet(Allowance.permitted(docker, arch)))));
        Optional<Recording> recording = input.recording().filter(r -> r.components().values().stream()
                .anyMatch(byExe -> !byExe.isEmpty()));
        if (recording.isPresent()) {
            recording.get().components().forEach((arch, byExe) -> byExe.forEach((exe, component) ->
                    subjects.add(new Subject(arch, exe, Optional.of(component)))));
        } else {
            policy.architectures().forEach(arch -> subjects.add(new Subject(arch, "all", Optional.empty())));
        }
        collectRisky();
        diffText = input.diffAgainstCommitted().map(PolicyDiff::render);
        diffSummary = input.diffAgainstCommitted().map(diff -> DiffSummary.of(diff, diffText.orElseThrow()));
    }

    ReportInput input() {
        return input;
    }

    Policy policy() {
        return input.policy();
    }

    List<Arch> arches() {
        return List.copyOf(input.policy().architectures());
    }

    SortedSet<String> permitted(Arch arch) {
        return permitted.getOrDefault(arch, Collections.emptySortedSet());
    }

    /** What Docker's default profile lets through on an architecture it covers; empty without a Docker profile. */
    Optional<SortedSet<String>> dockerPermitted(Arch arch) {
        return Optional.ofNullable(dockerPermitted.get(arch));
    }

    /** The change against the committed policy as {@link PolicyDiff#render()} writes it. */
    Optional<String> diffText() {
        return diffText;
    }

    Optional<DiffSummary> diffSummary() {
        return diffSummary;
    }

    List<Subject> subjects() {
        return subjects;
    }

    boolean recorded() {
        return subjects.stream().anyMatch(s -> s.recorded().isPresent());
    }

    List<RiskyAllowance> risky() {
        return risky;
    }

    /** Rules with conditions on one architecture. */
    long conditionalRules(Arch arch) {
        return policy().rules(arch).stream().filter(rule -> !rule.unconditional()).count();
    }

    /** The executables that made a syscall on an architecture, per the recording. */
    SortedSet<String> users(Arch arch, String syscall) {
        SortedSet<String> users = new TreeSet<>();
        for (Subject subject : subjects) {
            if (subject.arch() == arch && subject.recorded().map(c -> c.syscalls().containsKey(syscall)).orElse(false)) {
                users.add(subject.name());
            }
        }
        return users;
    }

    /** The symbolic conditions under which the policy permits a syscall; empty when it permits it outright. */
    List<String> permittingConditions(Arch arch, String syscall) {
        List<String> out = new ArrayList<>();
        for (Rule rule : policy().rules(arch, syscall)) {
            if (rule.action().permits() && !rule.unconditional()) {
                out.add(RuleText.of(arch, rule).condition());
            }
        }
        return out;
    }

    private void collectRisky() {
        SortedSet<String> names = new TreeSet<>();
        permitted.values().forEach(names::addAll);
        for (String syscall : names) {
            Optional<Risk> risk = Risk.of(syscall);
            if (risk.isEmpty()) {
                continue;
            }
            SortedMap<Arch, Allowance> allowance = new TreeMap<>();
            SortedMap<Arch, List<String>> conditions = new TreeMap<>();
            SortedSet<String> users = new TreeSet<>();
            for (Arch arch : arches()) {
                Allowance a = Allowance.of(policy(), arch, syscall);
                if (a.permitsSome()) {
                    allowance.put(arch, a);
                    conditions.put(arch, permittingConditions(arch, syscall));
                    users.addAll(users(arch, syscall));
                }
            }
            risky.add(new RiskyAllowance(syscall, risk.get(), allowance, conditions, users));
        }
        risky.sort(Comparator.comparing((RiskyAllowance r) -> r.narrowedEverywhere())
                .thenComparing(r -> r.risk().level())
                .thenComparing(RiskyAllowance::syscall));
    }
}
