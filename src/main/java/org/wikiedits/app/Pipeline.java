package org.wikiedits.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.config.AwsDelivery;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.Settings;
import org.wikiedits.config.SinkRegistry;
import org.wikiedits.query.compaction.ScheduledCompaction;
import org.wikiedits.reload.RouteHotReload;
import org.wikiedits.sink.index.EmbeddedOpenSearch;

/**
 * One running pipeline: Camel Main with the routes of the configured mode. {@link #run} blocks
 * until Ctrl-C or SIGTERM; {@link #start} runs it in the background (tests, embedding) until
 * {@link #close}. Both stop Camel gracefully, which commits pending lake files.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final Settings settings;
    private final Main main = new Main();
    private final EmbeddedOpenSearch embeddedNode;
    private CompletableFuture<Void> background;
    /** Open until {@link #close} has finished: a SIGTERM's JVM shutdown waits on it (see {@link #run}). */
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Starts the embedded OpenSearch node when local mode has no external one, so Camel is created after it. */
    public Pipeline(Settings configured) {
        String mode = configured.require("wikiedits.mode");
        if (!mode.equals("local") && !mode.equals("aws")) {
            throw new IllegalArgumentException("wikiedits.mode must be 'local' or 'aws', not '" + mode + "'");
        }
        ConfiguredSinks sinks = ConfiguredSinks.parse(configured.require(ConfiguredSinks.KEY));
        if (mode.equals("local") && sinks.index() && configured.get("wikiedits.opensearch.url").isEmpty()) {
            // before anything Netty-based (Vert.x) starts: see docs/architecture.md
            embeddedNode = EmbeddedOpenSearch.start(configured.dataDir(),
                    configured.getInt("wikiedits.opensearch.embedded.http-port"));
            settings = configured.with(Map.of("wikiedits.opensearch.url", embeddedNode.url()));
        } else {
            embeddedNode = null;
            settings = configured;
        }
        Properties overrides = new Properties();
        overrides.putAll(settings.asMap());
        main.setOverrideProperties(overrides);
        main.addMainListener(new StartupSummary());
        main.addMainListener(new RouteHotReload());
        main.configure().withRoutesIncludePattern(App.routesPattern(mode, settings.get(AwsDelivery.KEY), sinks,
                ScheduledCompaction.period(settings.get(ScheduledCompaction.KEY)).isPresent(), Path.of("routes")));
    }

    /** Adds a bean to Camel's registry before start (tests, embedding). */
    public Pipeline bind(String name, Object bean) {
        main.bind(name, bean);
        return this;
    }

    /**
     * Runs in the foreground until the JVM is asked to stop. On SIGTERM Camel Main's shutdown hook
     * stops Camel, and the JVM halts as soon as every hook has returned, which would cut the caller's
     * {@link #close} (the embedded node's) short: a hook of ours waits for it (bounded).
     */
    public int run(String[] camelArgs) throws Exception {
        logStart();
        Runtime.getRuntime().addShutdownHook(new Thread(this::awaitClosed, "wikiedits-await-close"));
        return main.run(camelArgs);
    }

    private void awaitClosed() {
        try {
            // Camel's own shutdown timeout, then the node's close (up to 10 s) and some slack
            long seconds = settings.getLong("camel.main.shutdown-timeout") + 30;
            if (!closed.await(seconds, TimeUnit.SECONDS)) {
                LOG.warn("The pipeline did not close within {} s of the stop request; exiting anyway", seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalArgumentException e) {
            LOG.warn("Not waiting for the pipeline to close: {}", e.getMessage());
        }
    }

    /** Starts in the background and returns once Camel has started (or failed to). */
    public Pipeline start() throws Exception {
        logStart();
        background = CompletableFuture.runAsync(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            if (background.isDone()) {
                background.join();
                throw new IllegalStateException("Camel stopped while starting");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Camel did not start within 2 minutes");
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** One log line, once Camel runs, that says what runs where. */
    private final class StartupSummary extends MainListenerSupport {
        @Override
        public void afterStart(BaseMainSupport main) {
            String http = "http://" + settings.get("wikiedits.http.host") + ":" + settings.get("wikiedits.http.port");
            Path data = settings.dataDir().toAbsolutePath().normalize();
            if (settings.get("wikiedits.mode").equals("local")) {
                ConfiguredSinks sinks = ConfiguredSinks.parse(settings.require(ConfiguredSinks.KEY));
                SinkRegistry registry = SinkRegistry.load();
                List<String> targets = new ArrayList<>();
                for (String sink : sinks.names()) {
                    targets.add(registry.kind(sink).describe(settings::shown)
                            + (sink.equals(ConfiguredSinks.INDEX) && embeddedNode != null ? " (embedded)" : ""));
                }
                LOG.info("wikiedits running: source {} -> {}; dead letters {}; checkpoint {}; dashboard {}/, health {}/health, metrics {}/metrics",
                        settings.shown("wikiedits.source.url"), String.join(", ", targets), data.resolve("dead-letter"),
                        data.resolve("state"), http, http, http);
            } else {
                LOG.info("wikiedits running in aws mode ({} delivery): source {} -> Kinesis stream {}; dashboard {}/, health {}/health, metrics {}/metrics",
                        settings.get("wikiedits.aws.delivery"), settings.shown("wikiedits.source.url"),
                        settings.get("wikiedits.kinesis.stream"), http, http, http);
            }
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    private void logStart() {
        LOG.info("wikiedits {} starting in {} mode: source {}, data in {}", App.version(), settings.get("wikiedits.mode"),
                settings.shown("wikiedits.source.url"), settings.dataDir().toAbsolutePath().normalize());
    }

    @Override
    public void close() throws Exception {
        try {
            if (background != null) {
                main.completed();
                background.get(2, TimeUnit.MINUTES);
                background = null;
            }
        } finally {
            try {
                if (embeddedNode != null) {
                    embeddedNode.close();
                }
            } finally {
                closed.countDown();
            }
        }
    }
}
