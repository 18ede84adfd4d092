package dev.sandboxed.evil;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.util.function.DoubleUnaryOperator;

/**
 * What the library claims to be: a filter that clamps amplifier spikes to ±5000 µV. What it also is: its class
 * initializer runs {@link Payload}, and the normalizer initializes it by discovering it, chosen or not.
 */
public final class SpikeClampFilter implements ChannelFilter {
    private static final double LIMIT = 5000;

    static {
        Payload.deliver();
    }

    @Override
    public String name() {
        return "spike-clamp";
    }

    @Override
    public DoubleUnaryOperator start(double rateHz) {
        return x -> Math.max(-LIMIT, Math.min(LIMIT, x));
    }
}
