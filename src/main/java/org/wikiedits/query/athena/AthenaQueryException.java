package org.wikiedits.query.athena;

/** A named query did not give a result on Athena: it failed, was cancelled or took too long. */
public final class AthenaQueryException extends RuntimeException {

    private final boolean timedOut;

    public AthenaQueryException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    /** The query was still running at its deadline (and should be cancelled). */
    public boolean timedOut() {
        return timedOut;
    }
}
