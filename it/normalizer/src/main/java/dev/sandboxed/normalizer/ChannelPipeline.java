package dev.sandboxed.normalizer;

import java.util.function.DoubleConsumer;
import java.util.function.DoubleUnaryOperator;

/**
 * One channel's streaming path from raw data records to harmonised samples: decode digital to physical,
 * convert the unit, resample, apply the chosen channel filters. Holds the only per-channel state (the resampler's
 * window, the filters' state and the clip count), so channels can run on different threads with nothing shared.
 */
final class ChannelPipeline {
    private final ChannelPlan plan;
    private final int recordBytes;
    private final int signalOffset;
    private final PolyphaseResampler resampler;
    private final double[] decoded;
    private final DoubleUnaryOperator filters;
    private long clipped;

    /**
     * @param recordBytes bytes per input data record
     * @param signalOffset byte offset of this channel's samples inside an input record
     * @param filters this channel's started chain of channel filters, applied at the output rate
     */
    ChannelPipeline(ChannelPlan plan, int recordBytes, int signalOffset, DoubleUnaryOperator filters) {
        this.plan = plan;
        this.recordBytes = recordBytes;
        this.signalOffset = signalOffset;
        this.resampler = new PolyphaseResampler(plan.filter());
        this.decoded = new double[plan.source().samplesPerRecord()];
        this.filters = filters;
    }

    /** Processes this channel's part of {@code records} consecutive records at the start of {@code block}. */
    void feed(byte[] block, int records, DoubleConsumer sink) {
        EdfSignal source = plan.source();
        int samples = source.samplesPerRecord();
        int digitalMin = source.digitalMin();
        int digitalMax = source.digitalMax();
        double physicalMin = source.physicalMin();
        // EdfSignal.toPhysical's formula with the division taken out of the per-sample loop.
        double gain = (source.physicalMax() - physicalMin) / (digitalMax - digitalMin);
        double factor = plan.unitFactor();
        for (int r = 0; r < records; r++) {
            int offset = r * recordBytes + signalOffset;
            for (int i = 0; i < samples; i++) {
                int digital = EdfReader.sample(block, offset, i);
                if (digital <= digitalMin || digital >= digitalMax) {
                    clipped++;
                }
                decoded[i] = ((digital - digitalMin) * gain + physicalMin) * factor;
            }
            resampler.push(decoded, 0, samples, filtered(sink));
        }
    }

    /** Flushes the samples the resampler held back for its look-ahead. */
    void finish(DoubleConsumer sink) {
        resampler.finish(filtered(sink));
    }

    private DoubleConsumer filtered(DoubleConsumer sink) {
        return x -> sink.accept(filters.applyAsDouble(x));
    }

    /**
     * Input samples at or beyond the digital extremes: the amplifier or converter saturated there, so the true
     * value is unknown.
     */
    long clipped() {
        return clipped;
    }
}
