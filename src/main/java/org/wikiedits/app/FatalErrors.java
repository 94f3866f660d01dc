package org.wikiedits.app;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.config.StartupFailure;

/**
 * How an error that ends a command reaches the operator: {@code wikiedits: <what to do>} on standard
 * error, one line per problem, and a non-zero exit status; the stack trace only with
 * {@value #DEBUG_FLAG} (or at DEBUG level in the log), since it says nothing an operator can act on.
 */
final class FatalErrors {

    static final String DEBUG_FLAG = "--debug";
    /** Usage and settings problems. */
    static final int USAGE = 2;
    /** Anything else: the app could not start or stopped on an error. */
    static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);

    private FatalErrors() {
    }

    /** Prints {@code error} and returns the exit status for it. */
    static int report(Throwable error, boolean debug, PrintStream err) {
        for (String line : describe(error).split("\n")) {
            err.println("wikiedits: " + line);
        }
        if (debug) {
            error.printStackTrace(err);
        } else {
            LOG.debug("Stack trace of the error that stopped the app", error);
        }
        return error instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    /**
     * The error's own message, followed by the distinct messages of its causes when it only wraps
     * them (Camel's exceptions say where, their causes say what); never empty.
     */
    static String describe(Throwable error) {
        if (error instanceof IllegalArgumentException || error instanceof StartupFailure) {
            return message(error); // written for the operator: complete as it is
        }
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = error; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            String message = message(t);
            if (parts.stream().noneMatch(part -> part.contains(message))) {
                parts.add(message);
            }
        }
        return String.join(": ", parts).replaceAll("\\s*\\R\\s*", " ");
    }

    private static String message(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.trim();
    }
}
