package org.wikiedits.config;

import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;

/**
 * A sink that {@code wikiedits.sinks} may name in local mode. Its name is also its in-process queue
 * ({@code seda:<name>}, which the publish route fans out to), its route folder
 * ({@code routes/local/<name>/}: its routes, made from a template of {@code routes/sinks.camel.yaml}
 * or written out) and its name in the commit protocol (the checkpoint waits for every configured sink).
 * A sink registers itself in {@code META-INF/services/org.wikiedits.config.SinkKind} ({@link SinkRegistry});
 * docs/extending.md lists what a new sink touches.
 */
public interface SinkKind {

    /** Lower case, no comma: {@code lake}, {@code index}. */
    String name();

    /**
     * Binds the beans its routes call and registers what must start and stop with Camel; the context's
     * registry already holds the pipeline's {@code commitTracker} and {@code deadLetters}. Returns the
     * sink, which the health check and metrics read when it implements their interface.
     */
    Object bind(CamelContext context) throws Exception;

    /** Where it writes, for the start-up line ({@code lake /data/lake}); {@code setting} gives a setting as it may be shown. */
    String describe(UnaryOperator<String> setting);
}
