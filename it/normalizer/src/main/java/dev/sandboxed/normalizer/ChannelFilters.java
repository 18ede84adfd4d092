package dev.sandboxed.normalizer;

import dev.sandboxed.normalizer.spi.ChannelFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/**
 * The {@link ChannelFilter}s found on the class path, by name. Discovery happens once, at start-up, for every
 * provider, so that a misnamed or clashing filter is reported on every run and not only on the run that selects it.
 */
final class ChannelFilters {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Map<String, ChannelFilter> byName;

    private ChannelFilters(Map<String, ChannelFilter> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads and instantiates every provider {@code loader} sees.
     *
     * @throws UsageException if a provider cannot be loaded, has an unusable name, or shares its name with another
     */
    static ChannelFilters discover(ClassLoader loader) throws UsageException {
        Map<String, ChannelFilter> byName = new TreeMap<>();
        try {
            for (ChannelFilter filter : ServiceLoader.load(ChannelFilter.class, loader)) {
                String name = filter.name();
                if (name == null || !NAME.matcher(name).matches()) {
                    throw new UsageException("channel filter " + filter.getClass().getName() + " is named '" + name
                            + "'; a filter name is lower-case letters, digits and '-'");
                }
                ChannelFilter clash = byName.putIfAbsent(name, filter);
                if (clash != null) {
                    throw new UsageException("channel filters " + clash.getClass().getName() + " and "
                            + filter.getClass().getName() + " are both named '" + name
                            + "'; remove one of their libraries from the class path");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new UsageException("a channel filter on the class path cannot be loaded: " + e.getMessage());
        }
        return new ChannelFilters(byName);
    }

    /** Every discovered name, sorted. */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The filters named, in the order given.
     *
     * @throws UsageException if a name is not among the discovered filters
     */
    List<ChannelFilter> select(List<String> names) throws UsageException {
        List<ChannelFilter> chosen = new ArrayList<>(names.size());
        for (String name : names) {
            ChannelFilter filter = byName.get(name);
            if (filter == null) {
                throw new UsageException("option --filter names '" + name + "', which no library on the class path "
                        + "provides; " + (byName.isEmpty() ? "there are no channel filters"
                        : "the channel filters are " + String.join(", ", byName.keySet())));
            }
            chosen.add(filter);
        }
        return List.copyOf(chosen);
    }

    /** One channel's chain of {@code filters}, started at {@code rateHz}; the identity for none. */
    static DoubleUnaryOperator chain(List<ChannelFilter> filters, double rateHz) {
        DoubleUnaryOperator chain = DoubleUnaryOperator.identity();
        for (ChannelFilter filter : filters) {
            DoubleUnaryOperator next = Objects.requireNonNull(filter.start(rateHz),
                    () -> "channel filter '" + filter.name() + "' started no function");
            chain = chain.andThen(next);
        }
        return chain;
    }
}
