package org.wikiedits.delivery;

import java.util.Optional;
import java.util.function.Consumer;

/** What is wrong with a sink right now, set by whoever retries (null = nothing) and read by the health check. */
public final class SinkProblem implements Consumer<String> {

    private volatile String current;

    @Override
    public void accept(String problem) {
        current = problem;
    }

    public Optional<String> current() {
        return Optional.ofNullable(current);
    }
}
