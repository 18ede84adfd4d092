package dev.sandboxed.normalizer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header of a normalized EDF+C output: the channels as planned and quantised, followed by the input's
 * annotation signals (or, for plain EDF input, a new one for the time-keeping TALs EDF+ requires).
 */
final class OutputHeader {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};

    private OutputHeader() {
    }

    static EdfHeader edfPlus(EdfHeader input, List<ChannelPlan> plans, Quantizer[] quantizers, Scale scale,
            List<Integer> annotationSignals) {
        List<EdfSignal> signals = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            ChannelPlan plan = plans.get(i);
            EdfSignal source = plan.source();
            // A scaled signal is dimensionless; keeping "uV" on z-scores would mislabel them.
            String dimension = scale == Scale.NONE ? plan.unit() : "";
            signals.add(new EdfSignal(plan.label(), source.transducer(), dimension, quantizers[i].physicalMin(),
                    quantizers[i].physicalMax(), Quantizer.DIGITAL_MIN, Quantizer.DIGITAL_MAX,
                    source.prefiltering(), plan.samplesOut(), source.reserved()));
        }
        String patient = input.patient();
        String recording = input.recording();
        if (annotationSignals.isEmpty()) {
            signals.add(EdfSignal.annotations(timekeepingSamples(input)));
        } else {
            for (int s : annotationSignals) {
                signals.add(input.signals().get(s));
            }
        }
        if (!input.isEdfPlus()) {
            patient = fit("X X X " + subfield(patient), 80);
            recording = fit("Startdate " + edfPlusDate(input.startDate()) + " X X X " + subfield(recording), 80);
        }
        return new EdfHeader(patient, recording, input.startDate(), input.startTime(), "EDF+C", input.dataRecords(),
                input.recordDuration(), signals);
    }

    /** Samples that hold the longest time-keeping TAL of the recording: {@code +onset 0x14 0x14 0x00}. */
    private static int timekeepingSamples(EdfHeader input) {
        BigDecimal duration = input.recordDuration();
        BigDecimal lastOnset = duration.multiply(BigDecimal.valueOf(input.dataRecords() - 1));
        int integerDigits = lastOnset.toBigInteger().toString().length();
        int fractionDigits = Math.max(0, duration.stripTrailingZeros().scale());
        int bytes = 1 + integerDigits + (fractionDigits > 0 ? 1 + fractionDigits : 0) + 3;
        return (bytes + 1) / 2;
    }

    /** EDF+ subfields are separated by spaces, so spaces inside one become underscores. */
    private static String subfield(String text) {
        return text.isEmpty() ? "X" : text.replace(' ', '_');
    }

    /** {@code dd.mm.yy} to EDF+ {@code dd-MMM-yyyy}, with the EDF rule that yy 85-99 means 19yy. */
    private static String edfPlusDate(String date) {
        int day = Integer.parseInt(date.substring(0, 2));
        int month = Integer.parseInt(date.substring(3, 5));
        int year = Integer.parseInt(date.substring(6, 8));
        if (month < 1 || month > 12) {
            return "X";
        }
        return String.format(Locale.ROOT, "%02d-%s-%04d", day, MONTHS[month - 1], year >= 85 ? 1900 + year : 2000 + year);
    }

    private static String fit(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width);
    }
}
