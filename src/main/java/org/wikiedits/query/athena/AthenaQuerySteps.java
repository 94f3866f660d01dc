package org.wikiedits.query.athena;

import org.wikiedits.commit.Headers;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.aws2.athena.Athena2Component;
import org.apache.camel.component.aws2.athena.Athena2Configuration;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.component.aws2.athena.client.Athena2ClientFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * The steps of the {@code athena-query} route ({@code routes/athena/query.camel.yaml}), bound as
 * {@code athenaQuery}. The exchange carries its {@link AthenaQueryRun} in the property
 * {@value Headers#ATHENA_RUN}; the aws2-athena producer does GetQueryExecution and GetQueryResults.
 *
 * <p>Why StartQueryExecution is made here and not by the aws2-athena producer: in Camel 4.17 that
 * producer builds the request itself and has no option for {@code ExecutionParameters} (checked in
 * {@code Athena2Producer.doStartQueryExecution}), so the dates could only be pasted into the SQL.
 * Here the SQL goes out exactly as {@link NamedQueries} wrote it, with its {@code ?} bound by Athena.
 * The client is built from the aws2-athena component's own configuration (the
 * {@code camel.component.aws2-athena.*} properties: region, credentials, endpoint override,
 * workgroup, output location, database), so there is one place that configures Athena.
 */
public final class AthenaQuerySteps extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaQuerySteps.class);

    private final CamelContext context;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private AthenaClient client;
    private boolean ownClient;

    /** @param timeout how long a query may take before it is cancelled ({@code wikiedits.athena.timeout-seconds}) */
    public AthenaQuerySteps(CamelContext context, Duration timeout, LongSupplier nanoTime) {
        this.context = context;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** Body: a {@link NamedQueries.BoundQuery}. Starts it and puts its {@link AthenaQueryRun} on the exchange. */
    public void start(Exchange exchange) throws InvalidPayloadException {
        NamedQueries.BoundQuery query = exchange.getMessage().getMandatoryBody(NamedQueries.BoundQuery.class);
        Athena2Configuration configuration = configuration();
        StartQueryExecutionRequest request = startRequest(query, configuration.getWorkGroup(),
                configuration.getOutputLocation(), configuration.getDatabase());
        String executionId = client().startQueryExecution(request).queryExecutionId();
        LOG.info("Athena query {} started: {} in workgroup {}, database {}", executionId, query.query().name(),
                request.workGroup(), configuration.getDatabase());
        exchange.setProperty(Headers.ATHENA_RUN, new AthenaQueryRun(query, executionId, timeout, nanoTime));
        exchange.getMessage().setHeader(Athena2Constants.QUERY_EXECUTION_ID, executionId);
        exchange.getMessage().removeHeader(Athena2Constants.NEXT_TOKEN);
    }

    /**
     * The StartQueryExecution request of a named query: its SQL as written, its parameters as
     * {@code ExecutionParameters} (SQL literals, in order), the workgroup, and the database the
     * view lives in. An empty output location is left out, so the workgroup's setting applies.
     */
    public static StartQueryExecutionRequest startRequest(NamedQueries.BoundQuery query, String workgroup,
            String outputLocation, String database) {
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(query.sql())
                .workGroup(workgroup);
        if (!query.parameters().isEmpty()) {
            request.executionParameters(query.athenaExecutionParameters());
        }
        if (outputLocation != null && !outputLocation.isBlank()) {
            request.resultConfiguration(ResultConfiguration.builder().outputLocation(outputLocation).build());
        }
        if (database != null && !database.isBlank()) {
            request.queryExecutionContext(QueryExecutionContext.builder().database(database).build());
        }
        return request.build();
    }

    /** Loop condition: poll again (no final state yet, deadline not passed). */
    public boolean stillRunning(Exchange exchange) {
        return run(exchange).stillRunning();
    }

    /** Body: the GetQueryExecution answer. */
    public void observe(Exchange exchange) throws InvalidPayloadException {
        run(exchange).observe(exchange.getMessage().getMandatoryBody(GetQueryExecutionResponse.class));
    }

    /** Fails the exchange unless the query SUCCEEDED; a query still running at its deadline is cancelled first. */
    public void requireSucceeded(Exchange exchange) {
        AthenaQueryRun run = run(exchange);
        try {
            run.requireSucceeded();
        } catch (AthenaQueryException e) {
            if (e.timedOut()) {
                cancel(run.executionId());
            }
            throw e;
        }
        LOG.info("Athena query {} SUCCEEDED after {} polls", run.executionId(), run.polls());
    }

    /** Loop condition: fetch a (further) page. */
    public boolean morePages(Exchange exchange) {
        return run(exchange).morePages();
    }

    /** Body: a GetQueryResults answer (outputType SelectList). */
    public void addPage(Exchange exchange) throws InvalidPayloadException {
        run(exchange).addPage(exchange.getMessage().getMandatoryBody(GetQueryResultsResponse.class));
    }

    /** Replaces the body with the collected {@link NamedQueries.Result}. */
    public void result(Exchange exchange) {
        AthenaQueryRun run = run(exchange);
        exchange.getMessage().setBody(run.result());
        LOG.info("Athena query {}: {} rows in {} pages", run.executionId(), run.result().rows().size(), run.pages());
    }

    private void cancel(String executionId) {
        try {
            client().stopQueryExecution(b -> b.queryExecutionId(executionId));
            LOG.warn("Athena query {} cancelled: it did not finish within {} s", executionId, timeout.toSeconds());
        } catch (SdkException e) {
            LOG.warn("Athena query {} did not finish in time and could not be cancelled: {}", executionId, e.getMessage());
        }
    }

    private static AthenaQueryRun run(Exchange exchange) {
        AthenaQueryRun run = exchange.getProperty(Headers.ATHENA_RUN, AthenaQueryRun.class);
        if (run == null) {
            throw new IllegalStateException("no Athena query on this exchange: the route must call athenaQuery.start first");
        }
        return run;
    }

    private Athena2Configuration configuration() {
        return context.getComponent("aws2-athena", Athena2Component.class).getConfiguration();
    }

    /** The component's client when one is bound (autowired), else one built once from its configuration. */
    private synchronized AthenaClient client() {
        if (client == null) {
            Athena2Configuration configuration = configuration();
            ownClient = configuration.getAmazonAthenaClient() == null;
            client = ownClient ? Athena2ClientFactory.getAthenaClient(configuration) : configuration.getAmazonAthenaClient();
        }
        return client;
    }

    @Override
    protected synchronized void doStop() {
        if (client != null && ownClient) {
            client.close();
        }
        client = null;
    }
}
