package org.wikiedits.dashboard;

import org.apache.camel.Exchange;

/** The body of an API error (bean {@code apiErrors}): the reason, as the route's exception handler caught it. */
public final class ApiErrors {

    /** {@code {"error": "..."}}; the route sets the status (400 for a bad parameter, 503 for an unavailable source). */
    public record Error(String error) {
    }

    public Error body(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return new Error(caught == null ? "unknown error" : caught.getMessage());
    }
}
