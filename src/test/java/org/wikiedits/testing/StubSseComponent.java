package org.wikiedits.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.wikiedits.pipeline.AdmitEvent;

/**
 * Test double of the {@code sse:} component for {@code file:} recordings only, used by the aws ITs
 * while the real component (branch {@code sse}) is not merged; {@link StubSseConfiguration} binds it
 * only when no real {@code sse} component is on the classpath. It replays every line of the file,
 * in order, with the line number as event id, ignoring the checkpoint (a restart replays everything).
 */
public final class StubSseComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        parameters.clear();
        if (!remaining.startsWith("file:")) {
            throw new IllegalArgumentException("the test stub of sse: replays file: recordings only, not " + remaining);
        }
        return new RecordingEndpoint(uri, this, Path.of(remaining.substring("file:".length()).replaceFirst("^//", "/")));
    }

    private static final class RecordingEndpoint extends DefaultEndpoint {
        private final Path file;

        RecordingEndpoint(String uri, DefaultComponent component, Path file) {
            super(uri, component);
            this.file = file;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("sse: has no producer");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new RecordingConsumer(this, processor, file);
        }
    }

    private static final class RecordingConsumer extends DefaultConsumer {
        private final Path file;
        private Thread reader;

        RecordingConsumer(Endpoint endpoint, Processor processor, Path file) {
            super(endpoint, processor);
            this.file = file;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            reader = new Thread(() -> replay(lines), "stub-sse-replay");
            reader.setDaemon(true);
            reader.start();
        }

        private void replay(List<String> lines) {
            for (int i = 0; i < lines.size() && isRunAllowed(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                Exchange exchange = createExchange(false);
                exchange.getMessage().setBody(lines.get(i));
                exchange.getMessage().setHeader(AdmitEvent.EVENT_ID_HEADER, String.valueOf(i + 1));
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("replaying line " + (i + 1), exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
            }
        }

        @Override
        protected void doStop() throws Exception {
            if (reader != null) {
                reader.join(10_000);
            }
            super.doStop();
        }
    }
}
