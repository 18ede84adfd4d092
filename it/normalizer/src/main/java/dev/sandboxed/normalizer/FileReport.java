package dev.sandboxed.normalizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code <basename>.report.json} written next to each output. File names only, never absolute paths, so the
 * report does not change with the directory a run happens in.
 *
 * @param annotations annotation texts carried over, not counting the time-keeping ones
 * @param warnings things left as they were, such as a unit that is not a voltage
 */
public record FileReport(String input, String output, OutputFormat format, Scale scale, long dataRecords,
        double recordDuration, long annotations, List<ChannelReport> channels, List<String> warnings) {

    public FileReport {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(scale, "scale");
        channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", input);
        json.put("output", output);
        json.put("format", format.extension().substring(1));
        json.put("scale", scale.optionName());
        json.put("dataRecords", dataRecords);
        json.put("recordDuration", recordDuration);
        json.put("annotations", annotations);
        List<Object> channelJson = new ArrayList<>();
        for (ChannelReport channel : channels) {
            channelJson.add(channel.toJson());
        }
        json.put("channels", channelJson);
        json.put("warnings", new ArrayList<Object>(warnings));
        return Json.write(json);
    }
}
