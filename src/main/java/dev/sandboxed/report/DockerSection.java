package dev.sandboxed.report;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.SyscallTable;

import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The policy measured against Docker's default profile, which is what the application would otherwise run with:
 * how much of the kernel's system-call surface it gives up, which risky calls remain, and anything it allows that
 * even Docker's general-purpose profile refuses.
 */
final class DockerSection {

    private DockerSection() {
    }

    static void write(Html h, ReportFacts facts) {
        h.open("section", "id", "docker").newline();
        h.element("h2", null, "Compared with Docker's default profile").newline();
        h.element("p", "intro", "Docker's default profile is what a container gets when nobody writes one: a list "
                + "tuned to keep almost any software running. The bars show how much of each architecture's "
                + "system-call table each profile allows.").newline();
        h.open("div", "class", "panel").open("div", "class", "compare").newline();
        SortedMap<String, SortedSet<Arch>> beyondDocker = new TreeMap<>();
        for (Arch arch : facts.arches()) {
            if (facts.dockerPermitted(arch).isEmpty()) {
                continue;
            }
            SortedSet<String> dockerAllows = facts.dockerPermitted(arch).get();
            SortedSet<String> ours = facts.permitted(arch);
            int table = SyscallTable.of(arch).names().size();
            h.element("div", "arch", arch.id());
            h.open("div");
            meter(h, "Docker default", "docker", dockerAllows.size(), table);
            meter(h, "This policy", "ours", ours.size(), table);
            long fewer = dockerAllows.size() - (long) ours.size();
            String share = dockerAllows.isEmpty() ? "" : String.format(Locale.ROOT, " (%s%.0f%%)",
                    fewer >= 0 ? "\u2212" : "+", Math.abs(100.0 * fewer / dockerAllows.size()));
            h.element("div", fewer >= 0 ? "delta" : "delta worse", fewer >= 0
                    ? Html.plural(fewer, "syscall fewer", "syscalls fewer") + " than Docker allows" + share
                    : Html.plural(-fewer, "syscall more", "syscalls more") + " than Docker allows" + share);
            h.close("div").newline();
            for (String name : ours) {
                if (!dockerAllows.contains(name)) {
                    beyondDocker.computeIfAbsent(name, n -> new TreeSet<>()).add(arch);
                }
            }
        }
        h.close("div").close("div").newline();

        List<ReportFacts.RiskyAllowance> risky = facts.risky();
        h.element("h3", null, "Risky syscalls this policy still allows").newline();
        if (risky.isEmpty()) {
            h.element("p", "muted", "None.").newline();
        } else {
            h.open("div", "class", "chips");
            for (ReportFacts.RiskyAllowance r : risky) {
                boolean dockerToo = r.allowance().keySet().stream()
                        .anyMatch(arch -> facts.dockerPermitted(arch).map(s -> s.contains(r.syscall())).orElse(false));
                h.open("span").element("code", null, r.syscall()).text(" ")
                        .element("span", "badge " + r.risk().level().label(), r.risk().level().label());
                if (r.narrowedEverywhere()) {
                    h.text(" ").element("span", "badge narrowed", "narrowed");
                }
                h.element("span", "muted small", dockerToo ? " Docker allows it too" : " Docker refuses it");
                h.close("span");
            }
            h.close("div").newline();
        }

        h.element("h3", null, "Allowed here, refused by Docker's default").newline();
        if (beyondDocker.isEmpty()) {
            h.element("p", "muted", "Nothing: this policy allows no syscall that Docker's default refuses.").newline();
        } else {
            h.element("p", "note warn", "Docker's general-purpose profile refuses these; make sure each rule's reason "
                    + "justifies it.").newline();
            h.open("div", "class", "chips");
            boolean everywhere = facts.arches().size() == 1;
            beyondDocker.forEach((name, arches) -> {
                h.open("span").element("code", null, name);
                if (!everywhere && arches.size() < facts.arches().size()) {
                    h.element("span", "muted small", " " + String.join(", ", arches.stream().map(Arch::id).toList()));
                }
                h.close("span");
            });
            h.close("div").newline();
        }
        h.close("section").newline();
    }

    private static void meter(Html h, String label, String kind, int allowed, int table) {
        h.open("div", "class", "meter").element("span", null, label).open("div", "class", "track")
                .open("div", "class", "fill " + kind, "style",
                        String.format(Locale.ROOT, "width:%.1f%%", table == 0 ? 0.0 : 100.0 * allowed / table))
                .close("div").close("div").element("span", "n", Html.format(allowed)).close("div");
    }
}
