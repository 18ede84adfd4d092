package dev.sandboxed.normalizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happened to one channel. The statistics describe the harmonised signal (converted unit, common rate)
 * before scaling: the values z-score and min-max scaling were fitted to.
 *
 * @param clipped input samples at or beyond the digital extremes (saturated)
 */
public record ChannelReport(String oldLabel, String newLabel, double oldRate, double newRate, String oldUnit,
        String newUnit, double mean, double sd, double min, double max, long clipped) {

    public ChannelReport {
        Objects.requireNonNull(oldLabel, "oldLabel");
        Objects.requireNonNull(newLabel, "newLabel");
        Objects.requireNonNull(oldUnit, "oldUnit");
        Objects.requireNonNull(newUnit, "newUnit");
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", pair(oldLabel, newLabel));
        json.put("rate", pair(oldRate, newRate));
        json.put("unit", pair(oldUnit, newUnit));
        json.put("mean", mean);
        json.put("sd", sd);
        json.put("min", min);
        json.put("max", max);
        json.put("clipped", clipped);
        return json;
    }

    private static Map<String, Object> pair(Object before, Object after) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("old", before);
        json.put("new", after);
        return json;
    }
}
