package dev.sandboxed.normalizer;

/**
 * A first-in first-out buffer of 16-bit samples that grows as needed. Holds a channel's output between the
 * resampler, which produces at its own pace, and the writer, which needs whole records of every channel. The
 * capacity stays a power of two so that wrapping around is a mask, not a division, on this per-sample path.
 */
final class ShortQueue {
    private short[] items = new short[1024];
    private int head;
    private int size;

    void add(short value) {
        if (size == items.length) {
            short[] grown = new short[items.length * 2];
            int tail = items.length - head;
            System.arraycopy(items, head, grown, 0, tail);
            System.arraycopy(items, 0, grown, tail, head);
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    int size() {
        return size;
    }

    short poll() {
        if (size == 0) {
            throw new IllegalStateException("queue is empty");
        }
        short value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    /** Moves the oldest {@code count} values into {@code target[0..count)}. */
    void poll(short[] target, int count) {
        if (count > size) {
            throw new IllegalStateException("asked for " + count + " values but only " + size + " are queued");
        }
        int first = Math.min(count, items.length - head);
        System.arraycopy(items, head, target, 0, first);
        System.arraycopy(items, 0, target, first, count - first);
        head = (head + count) & (items.length - 1);
        size -= count;
    }
}
