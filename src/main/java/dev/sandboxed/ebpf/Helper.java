package dev.sandboxed.ebpf;

/** The kernel helper functions the recorder's programs call, by their stable ids ({@code enum bpf_func_id}). */
public enum Helper {
    MAP_LOOKUP_ELEM(1),
    MAP_UPDATE_ELEM(2),
    MAP_DELETE_ELEM(3),
    GET_CURRENT_PID_TGID(14),
    GET_CURRENT_CGROUP_ID(80),
    PROBE_READ_USER(112),
    PROBE_READ_KERNEL(113),
    PROBE_READ_USER_STR(114),
    PROBE_READ_KERNEL_STR(115),
    GET_CURRENT_ANCESTOR_CGROUP_ID(123);

    private final int id;

    Helper(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }
}
