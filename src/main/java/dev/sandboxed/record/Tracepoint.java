package dev.sandboxed.record;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A kernel tracepoint as tracefs describes it: the id {@code perf_event_open} takes and where each field of its
 * record sits. Offsets are read, never assumed: they change between kernel versions ({@code sched_process_fork}
 * moved its command names to dynamic strings in 6.x).
 *
 * @param category the event directory, such as {@code raw_syscalls}
 * @param name the event, such as {@code sys_enter}
 * @param id the tracepoint id
 * @param offsets per field name, its byte offset in the record the program's context points to
 */
record Tracepoint(String category, String name, long id, Map<String, Integer> offsets) {

    Tracepoint {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        offsets = Map.copyOf(offsets);
    }

    /** The field's offset; a field this kernel lacks is an {@link EbpfUnavailableException}. */
    int offset(String field) {
        Integer offset = offsets.get(field);
        if (offset == null) {
            throw new EbpfUnavailableException("tracepoint " + category + "/" + name + " has no field " + field
                    + " on this kernel (fields: " + offsets.keySet() + ")");
        }
        return offset;
    }

    OptionalInt optionalOffset(String field) {
        Integer offset = offsets.get(field);
        return offset == null ? OptionalInt.empty() : OptionalInt.of(offset);
    }
}
