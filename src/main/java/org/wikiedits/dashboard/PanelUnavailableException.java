package org.wikiedits.dashboard;

/** A panel's data source cannot answer right now (index unreachable, lake query failed): HTTP 503 with the reason. */
public final class PanelUnavailableException extends RuntimeException {

    public PanelUnavailableException(String message) {
        super(message);
    }

    public PanelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
