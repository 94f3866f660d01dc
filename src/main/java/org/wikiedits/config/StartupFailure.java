package org.wikiedits.config;

/**
 * A start-up problem the operator can fix (a taken port, an unusable data folder, another instance
 * on it): its message is the whole story, one line that says what to do, so {@link org.wikiedits.app.FatalErrors}
 * prints it without a stack trace.
 */
public class StartupFailure extends IllegalStateException {

    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
