package org.wikiedits.sink.index;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelExchangeException;
import org.opensearch.client.ResponseException;
import org.opensearch.client.opensearch._types.OpenSearchException;

/**
 * Why a bulk request failed as a whole, as one line for the log and {@code /health}: the cluster is
 * unreachable (connection refused or dropped, timed out), or it answered the whole request with an
 * error status. The {@code opensearch:} producer wraps the client's exception in a
 * {@link CamelExchangeException} around a {@link CompletionException}; the cause is what counts.
 */
final class IndexFailure {

    private IndexFailure() {
    }

    static String of(Throwable failure, OpenSearchEndpoint endpoint) {
        Throwable cause = unwrap(failure);
        if (cause instanceof OpenSearchException e) {
            return "the bulk request was answered HTTP " + e.status() + " " + BulkOutcome.reason(e.error())
                    + IndexTemplate.hint(e.status());
        }
        if (cause instanceof ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            return "the bulk request was answered HTTP " + status + IndexTemplate.hint(status);
        }
        if (cause instanceof IOException e && !(e.getCause() instanceof ResponseException)) {
            return "OpenSearch at " + endpoint.url() + " is unreachable (" + describe(e) + ")";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CamelExchangeException || cause instanceof CompletionException
                || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
