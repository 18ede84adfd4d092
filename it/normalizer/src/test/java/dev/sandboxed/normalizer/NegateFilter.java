package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.util.function.DoubleUnaryOperator;

/** A test filter that negates every sample; with {@link AddRateFilter} it shows that order matters. */
public final class NegateFilter implements ChannelFilter {
    @Override
    public String name() {
        return "negate";
    }

    @Override
    public DoubleUnaryOperator start(double rateHz) {
        return x -> -x;
    }
}
