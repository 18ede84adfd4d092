package dev.sandboxed.bpf;

import dev.sandboxed.policy.Action;
import dev.sandboxed.policy.Policy;
import dev.sandboxed.policy.Rule;
import dev.sandboxed.syscall.Arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared benchmark corpus ({@code shared/corpus}): the allow-100 list and its call frequencies. */
final class Corpus {

    private Corpus() {
    }

    static Path directory() {
        return Path.of(System.getProperty("sandbox.shared", "../shared"), "corpus");
    }

    static Path allow100() {
        return directory().resolve("allow-100.txt");
    }

    static List<String> allow100Names() {
        try {
            return Files.readAllLines(allow100()).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** x86_64, default kill, every listed syscall allowed. */
    static Policy allow100Policy() {
        List<Rule> rules = allow100Names().stream().map(name -> Rule.allow(name, "allow-100")).toList();
        return Policy.of(Action.killProcess(), Map.of(Arch.X86_64, rules));
    }

    /** The frequencies in the file's header: read 1000, write 800, futex 600, epoll_wait 500, close 100, others 1. */
    static Map<String, Long> allow100Weights() {
        Map<String, Long> weights = new LinkedHashMap<>();
        for (String name : allow100Names()) {
            weights.put(name, 1L);
        }
        weights.put("read", 1000L);
        weights.put("write", 800L);
        weights.put("futex", 600L);
        weights.put("epoll_wait", 500L);
        weights.put("close", 100L);
        return weights;
    }
}
