package org.wikiedits.commit;

/**
 * Fault-injection seam for the crash tests: with {@code -Dwikiedits.test.crash-at=NAME} the JVM
 * halts (no shutdown hooks, like {@code kill -9}) the first time the named point is reached.
 * Unset in production, where {@link #reached} is a single field read.
 */
public final class CrashPoint {

    public static final String LAKE_TEMP_WRITTEN = "lake-temp-written";
    public static final String LAKE_RENAMED = "lake-renamed";
    public static final String CHECKPOINT_SAVED = "checkpoint-saved";
    public static final String INDEX_BULK_SENT = "index-bulk-sent";
    public static final String INDEX_ACKNOWLEDGED = "index-acknowledged";

    private static final String ARMED = System.getProperty("wikiedits.test.crash-at", "");

    private CrashPoint() {
    }

    public static void reached(String point) {
        if (!ARMED.isEmpty() && ARMED.equals(point)) {
            System.err.println("wikiedits: crash point '" + point + "' reached, halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
