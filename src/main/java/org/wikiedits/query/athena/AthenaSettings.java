package org.wikiedits.query.athena;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.Settings;

/**
 * The {@code wikiedits.athena.*} settings of the {@code query} subcommand in aws mode, read once
 * and validated with messages that say what to set. The aws2-athena component itself is configured
 * in {@code application.properties} ({@code camel.component.aws2-athena.*}); the two component
 * options that need a decision in code (the region fallback, whether an endpoint override is on, and
 * the output location only when there is one) come from {@link #componentProperties(String)}.
 *
 * @param workgroup   the Athena workgroup ({@code wikiedits.athena.workgroup})
 * @param output      where Athena writes results, {@code s3://bucket/prefix/}; empty: the workgroup's setting
 * @param database    the Glue database holding the lake table and {@code wikiedits_v} ({@code wikiedits.athena.database})
 * @param endpoint    an endpoint override such as moto_server's URL; empty: AWS
 * @param pollInterval pause before each GetQueryExecution ({@code wikiedits.athena.poll-ms})
 * @param timeout     how long a query may take before it is cancelled ({@code wikiedits.athena.timeout-seconds})
 * @param pageSize    rows per GetQueryResults call, 1..1000 ({@code wikiedits.athena.page-size})
 */
public record AthenaSettings(String workgroup, Optional<String> output, String database, Optional<URI> endpoint,
        Duration pollInterval, Duration timeout, int pageSize) {

    /** GetQueryResults returns at most this many rows per call. */
    public static final int MAX_PAGE_SIZE = 1000;

    /** Athena workgroup names: letters, digits, '.', '_', '-', 1 to 128 characters. */
    private static final Pattern WORKGROUP = Pattern.compile("[a-zA-Z0-9._-]{1,128}");
    /** Glue database names as LakeSql validates them. */
    private static final Pattern DATABASE = Pattern.compile("[a-z0-9_]{1,255}");

    /** Reads and validates the settings from any key lookup ({@link Settings#get}, Camel's properties). */
    public static AthenaSettings from(Function<String, String> lookup) {
        SettingValues read = new SettingValues(lookup);
        String workgroup = read.required("wikiedits.athena.workgroup");
        if (!WORKGROUP.matcher(workgroup).matches()) {
            throw new IllegalArgumentException("wikiedits.athena.workgroup must be an Athena workgroup name (letters, digits,"
                    + " '.', '_', '-'), not '" + workgroup + "'");
        }
        String output = read.text("wikiedits.athena.output");
        if (!output.isEmpty() && !output.startsWith("s3://")) {
            throw new IllegalArgumentException("wikiedits.athena.output must be an s3:// location such as"
                    + " s3://my-bucket/athena-results/ (or empty: the workgroup's result location), not '" + output + "'");
        }
        String database = read.required("wikiedits.athena.database");
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("wikiedits.athena.database must be a Glue database name (lower-case letters,"
                    + " digits, '_'), not '" + database + "'");
        }
        int pageSize = (int) read.positive("wikiedits.athena.page-size");
        if (pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("wikiedits.athena.page-size must be at most " + MAX_PAGE_SIZE
                    + " (the GetQueryResults limit), not " + pageSize);
        }
        return new AthenaSettings(workgroup, output.isEmpty() ? Optional.empty() : Optional.of(output), database,
                read.httpUrl("wikiedits.athena.endpoint", "http://127.0.0.1:5000 (or empty: AWS)"),
                Duration.ofMillis(read.positive("wikiedits.athena.poll-ms")),
                Duration.ofSeconds(read.positive("wikiedits.athena.timeout-seconds")), pageSize);
    }

    public static AthenaSettings from(Settings settings) {
        return from(settings::get);
    }

    /**
     * The aws2-athena component options decided here: the region (already resolved: setting, AWS
     * chain, else us-east-1), the endpoint override, which the component only takes together
     * with a separate on/off flag, and the output location when set (Camel refuses an empty value).
     */
    public Map<String, String> componentProperties(String region) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.component.aws2-athena.region", region);
        properties.put("camel.component.aws2-athena.override-endpoint", Boolean.toString(endpoint.isPresent()));
        endpoint.ifPresent(uri -> properties.put("camel.component.aws2-athena.uri-endpoint-override", uri.toString()));
        output.ifPresent(location -> properties.put("camel.component.aws2-athena.output-location", location));
        return properties;
    }
}
