package org.wikiedits.query.athena;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.wikiedits.config.PackagedRoutes;
import org.wikiedits.config.Regions;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;

/**
 * A small Camel context that runs named queries on Athena: Camel Main with only the routes of
 * {@code routes/athena/} and {@link AthenaQueryBeans}, without the pipeline, its HTTP server or the
 * embedded OpenSearch node. {@link #run} sends a bound query to {@value #ENDPOINT} and returns its rows.
 */
public final class AthenaQueryRunner implements AutoCloseable {

    /** Where the athena routes take a {@link NamedQueries.BoundQuery} and answer a {@link NamedQueries.Result}. */
    public static final String ENDPOINT = "direct:athena-query";

    private final Main main;
    private final ProducerTemplate template;

    private AthenaQueryRunner(Main main) {
        this.main = main;
        this.template = main.getCamelContext().createProducerTemplate();
    }

    /** Validates the Athena settings and starts the context; fails with a message that says what to set. */
    public static AthenaQueryRunner start(Settings settings) throws Exception {
        AthenaSettings athena = AthenaSettings.from(settings);
        Properties overrides = new Properties();
        overrides.putAll(settings.asMap());
        overrides.putAll(athena.componentProperties(Regions.resolve(settings.get("wikiedits.aws.region")).id()));
        // the query context is not the pipeline: its own beans, no HTTP server, a name of its own
        overrides.put("camel.main.configuration-classes", AthenaQueryBeans.class.getName());
        overrides.put("camel.main.name", "wikiedits-query");
        overrides.put("camel.server.enabled", "false");
        overrides.put("camel.main.routes-include-pattern", routesPattern(Path.of("routes")));
        Main main = new Main();
        main.setOverrideProperties(overrides);
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            main.stop();
            throw new IllegalStateException("the Athena query context did not start");
        }
        return new AthenaQueryRunner(main);
    }

    /** The athena routes: {@code routes/athena/}, packaged or from a {@code ./routes/} folder that replaces them. */
    static String routesPattern(Path localRoutes) {
        return PackagedRoutes.routesPattern(List.of("athena"), localRoutes);
    }

    /** Runs {@code query} on Athena and returns its rows; {@link AthenaQueryException} when it fails or times out. */
    public NamedQueries.Result run(NamedQueries.BoundQuery query) {
        try {
            return template.requestBody(ENDPOINT, query, NamedQueries.Result.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof NullPointerException npe && String.valueOf(npe.getMessage()).contains("resultConfiguration")) {
                // Camel 4.17's getQueryExecution reads QueryExecution.resultConfiguration().outputLocation()
                // unchecked; Athena (and moto) leave it out when the query has no result location
                // no s3:// example: the dashboard's API shows the message with every URL masked
                throw AthenaQueryException.needsSetting("Athena query " + query.query().name() + " has no result location, which"
                        + " the aws2-athena component needs: set wikiedits.athena.output to an S3 folder for Athena's results,"
                        + " or give the workgroup an output location");
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            template.close();
        } finally {
            main.stop();
        }
    }
}
