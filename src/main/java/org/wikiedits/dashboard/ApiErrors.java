package org.wikiedits.dashboard;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.ops.PublicText;

/**
 * The body of an API error (bean {@code apiErrors}): the reason, as the route's exception handler caught it.
 * The body names the problem; where it happened (a URL, a folder) goes to the log only, once per change,
 * since the dashboard asks again every few seconds while a source is down.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** {@code {"error": "..."}}; the route sets the status (400 for a bad parameter, 503 for an unavailable source). */
    public record Error(String error) {
    }

    private volatile String lastLogged;

    public Error body(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof PanelUnavailableException unavailable && unavailable.detail() != null) {
            String line = unavailable.getMessage() + ": " + unavailable.detail();
            if (!line.equals(lastLogged)) {
                lastLogged = line;
                LOG.warn("Dashboard panel unavailable: {}", line);
            }
        }
        return new Error(caught == null ? "unknown error" : PublicText.withoutLocations(caught.getMessage()));
    }
}
