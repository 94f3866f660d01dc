package org.wikiedits.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code wikiedits.sinks}: which sinks of local mode run, {@code lake}, {@code index} or both. Only
 * their route folders ({@code routes/local/lake/}, {@code routes/local/index/}) are loaded, the publish
 * route sends only to their queues, the commit tracker waits only for them, and without the index
 * no embedded OpenSearch node starts.
 */
public record ConfiguredSinks(boolean lake, boolean index) {

    public static final String KEY = "wikiedits.sinks";
    public static final String LAKE = "lake";
    public static final String INDEX = "index";

    /** Parses {@code lake}, {@code index} or {@code lake,index} (any order, spaces allowed). */
    public static ConfiguredSinks parse(String value) {
        boolean lake = false;
        boolean index = false;
        for (String name : value.split(",")) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case LAKE -> lake = true;
                case INDEX -> index = true;
                case "" -> { }
                default -> throw invalid(value);
            }
        }
        if (!lake && !index) {
            throw invalid(value);
        }
        return new ConfiguredSinks(lake, index);
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(KEY + " must be lake, index or lake,index, not '" + value + "'");
    }

    /** The sink names the commit tracker waits for, in a fixed order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (lake) {
            names.add(LAKE);
        }
        if (index) {
            names.add(INDEX);
        }
        return names;
    }

    /** The route folders of local mode for these sinks: {@code local} (publish) and one folder per sink. */
    public List<String> localRouteFolders() {
        List<String> folders = new ArrayList<>(List.of("local"));
        names().forEach(sink -> folders.add("local/" + sink));
        return folders;
    }
}
