package dev.sandboxed.report;

import dev.sandboxed.syscall.Arch;
import dev.sandboxed.syscall.Constants;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Argument values as a reader knows them: {@code AF_NETLINK}, {@code O_RDONLY|O_CLOEXEC}, not 16 and 0x80000. Each
 * value is one unbreakable chip, so a wrapped flag list never splits a constant's name.
 */
final class Arguments {

    /** Beyond this many values per argument the rest are counted, not listed: a table cell is no dump. */
    static final int SHOWN_VALUES = 12;

    private Arguments() {
    }

    static void write(Html h, Optional<Arch> arch, String syscall, SortedMap<Integer, SortedSet<Long>> values) {
        if (values.isEmpty()) {
            h.element("span", "muted", "\u2013");
            return;
        }
        for (Map.Entry<Integer, SortedSet<Long>> entry : values.entrySet()) {
            h.open("div").element("span", "idx", "arg" + entry.getKey()).open("span", "class", "vals");
            int shown = 0;
            for (long value : entry.getValue()) {
                if (shown++ == SHOWN_VALUES) {
                    break;
                }
                h.breakableElement("span", "v", name(arch, syscall, entry.getKey(), value));
            }
            if (entry.getValue().size() > SHOWN_VALUES) {
                h.element("span", "muted", "and " + (entry.getValue().size() - SHOWN_VALUES) + " more");
            }
            h.close("span").close("div");
        }
    }

    /** The constant's name where the argument has named values, else the number. */
    static String name(Optional<Arch> arch, String syscall, int index, long value) {
        return arch.flatMap(a -> Constants.of(a).describe(syscall, index, value)).orElse(number(value));
    }

    static String number(long value) {
        return value >= 0 && value < 4096 ? Long.toString(value) : "0x" + Long.toHexString(value);
    }
}
