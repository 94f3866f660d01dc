package org.wikiedits.query.athena;

/** A named query did not give a result on Athena: it failed, was cancelled, took too long, or lacks a setting. */
public final class AthenaQueryException extends RuntimeException {

    private final boolean timedOut;
    private final boolean needsSetting;

    public AthenaQueryException(String message, boolean timedOut) {
        this(message, timedOut, false);
    }

    private AthenaQueryException(String message, boolean timedOut, boolean needsSetting) {
        super(message);
        this.timedOut = timedOut;
        this.needsSetting = needsSetting;
    }

    /** No query can run until a setting is given: {@code message} says which. */
    public static AthenaQueryException needsSetting(String message) {
        return new AthenaQueryException(message, false, true);
    }

    /** The query was still running at its deadline (and should be cancelled). */
    public boolean timedOut() {
        return timedOut;
    }

    /** A setting is missing or wrong: the message says what to set (the dashboard answers 503 with it). */
    public boolean needsSetting() {
        return needsSetting;
    }
}
