package org.wikiedits.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The sinks {@code wikiedits.sinks} may name: every {@link SinkKind} on the class path
 * ({@code META-INF/services/org.wikiedits.config.SinkKind}), the packaged ones first (lake, index), in
 * the order found. The start-up summary, the settings check, the commit tracker's sink list, the
 * health check and the publish route's fan-out all go through it, so adding a sink adds no {@code if}.
 */
public final class SinkRegistry {

    public static final String KEY = "wikiedits.sinks";

    private final Map<String, SinkKind> kinds;

    private SinkRegistry(Map<String, SinkKind> kinds) {
        this.kinds = kinds;
    }

    /**
     * The sinks on the class path: the app's class loader first (the packaged sinks), then the
     * thread's context class loader (an extension's classes, or a test's).
     */
    public static SinkRegistry load() {
        Map<String, SinkKind> kinds = new LinkedHashMap<>();
        List<ClassLoader> loaders = new ArrayList<>(List.of(SinkRegistry.class.getClassLoader()));
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != loaders.get(0)) {
            loaders.add(context);
        }
        for (ClassLoader loader : loaders) {
            for (SinkKind kind : ServiceLoader.load(SinkKind.class, loader)) {
                SinkKind other = kinds.putIfAbsent(kind.name(), kind);
                if (other != null && other.getClass() != kind.getClass()) {
                    throw new IllegalStateException("two sinks are named '" + kind.name() + "': " + other.getClass().getName()
                            + " and " + kind.getClass().getName());
                }
            }
        }
        return new SinkRegistry(kinds);
    }

    /** Every registered name, in registry order. */
    public List<String> names() {
        return List.copyOf(kinds.keySet());
    }

    public SinkKind kind(String name) {
        SinkKind kind = kinds.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("no sink named '" + name + "' (registered: " + String.join(", ", names()) + ")");
        }
        return kind;
    }

    /**
     * The sinks named by {@code value} (comma-separated, any order, spaces allowed), in registry order;
     * at least one, each registered.
     */
    public List<String> parse(String value) {
        List<String> wanted = new ArrayList<>();
        for (String name : value.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                if (!kinds.containsKey(trimmed)) {
                    throw invalid(value);
                }
                wanted.add(trimmed);
            }
        }
        if (wanted.isEmpty()) {
            throw invalid(value);
        }
        return names().stream().filter(wanted::contains).toList();
    }

    private IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(KEY + " must name one or more of the sinks " + String.join(", ", names())
                + " (comma-separated), not '" + value + "'");
    }
}
