package dev.sandboxed.normalizer.spi;

import java.util.function.DoubleUnaryOperator;

/**
 * A signal filter shipped by another library (a mains-hum notch, a baseline high-pass, an artefact clamp), applied
 * to every normalized channel at its output rate, before the channel is measured and scaled. Labs keep such
 * filters in their own jars, so the normalizer does not have to know them: a library names its implementations in
 * {@code META-INF/services/dev.sandboxed.normalizer.spi.ChannelFilter}, the normalizer discovers every one on the
 * class path when it starts (as JDBC discovers drivers), and {@code --filter} chooses which to apply, in order.
 *
 * <p>Implementations need a public no-argument constructor. Being discovered means being loaded and instantiated
 * whether or not the filter is chosen, which is why a sandbox policy covers everything on the class path.
 */
public interface ChannelFilter {

    /** The name {@code --filter} selects this filter by: lower-case letters, digits and {@code -}. */
    String name();

    /**
     * Starts filtering one channel. The normalizer reads its input twice (measure, then write), so this is called
     * once per channel and pass; the returned function sees every sample of that channel once, in order, on one
     * thread, and may keep state.
     *
     * @param rateHz the channel's sampling rate after resampling
     * @return maps each sample to the filtered sample
     */
    DoubleUnaryOperator start(double rateHz);
}
