package org.wikiedits.dashboard;

/**
 * A panel's data source cannot answer right now (index unreachable, lake query failed): HTTP 503. The
 * message is the answer's body and names the problem only; where it happened (the index URL, the lake's
 * folder or workgroup) is the {@link #detail}, which {@link ApiErrors} logs for the operator.
 */
public final class PanelUnavailableException extends RuntimeException {

    private final String detail;

    public PanelUnavailableException(String message) {
        this(message, null, null);
    }

    public PanelUnavailableException(String message, String detail, Throwable cause) {
        super(message, cause);
        this.detail = detail;
    }

    /** What the log says beyond the message; null when the message says it all. */
    public String detail() {
        return detail;
    }
}
