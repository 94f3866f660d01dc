package org.wikiedits.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code wikiedits.sinks}: which sinks of local mode run, any of those in the {@link SinkRegistry}
 * ({@code lake}, {@code index}, ...). Only their route folders ({@code routes/local/<sink>/}) are
 * loaded, the publish route sends only to their queues, the commit tracker waits only for them, and
 * without the index no embedded OpenSearch node starts.
 *
 * @param names the configured sinks, in registry order
 */
public record ConfiguredSinks(List<String> names) {

    public static final String KEY = SinkRegistry.KEY;
    public static final String LAKE = "lake";
    public static final String INDEX = "index";

    public ConfiguredSinks {
        names = List.copyOf(names);
    }

    /** The lake, the index or both (the sinks replay knows). */
    public ConfiguredSinks(boolean lake, boolean index) {
        this(lake && index ? List.of(LAKE, INDEX) : lake ? List.of(LAKE) : index ? List.of(INDEX) : List.of());
    }

    /** Parses registered sink names, comma-separated (any order, spaces allowed). */
    public static ConfiguredSinks parse(String value) {
        return new ConfiguredSinks(SinkRegistry.load().parse(value));
    }

    public boolean lake() {
        return names.contains(LAKE);
    }

    public boolean index() {
        return names.contains(INDEX);
    }

    /** The route folders of local mode for these sinks: {@code local} (publish) and one folder per sink. */
    public List<String> localRouteFolders() {
        List<String> folders = new ArrayList<>(List.of("local"));
        names.forEach(sink -> folders.add("local/" + sink));
        return folders;
    }

    /** The sinks' queues, which the publish route fans each event out to ({@code seda:lake,seda:index}). */
    public String queues() {
        return String.join(",", names.stream().map(sink -> "seda:" + sink).toList());
    }
}
