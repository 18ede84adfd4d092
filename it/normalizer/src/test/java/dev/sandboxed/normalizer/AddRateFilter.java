package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.util.function.DoubleUnaryOperator;

/** A test filter that adds the channel's output rate to every sample, so a test can read the rate off the mean. */
public final class AddRateFilter implements ChannelFilter {
    @Override
    public String name() {
        return "add-rate";
    }

    @Override
    public DoubleUnaryOperator start(double rateHz) {
        return x -> x + rateHz;
    }
}
