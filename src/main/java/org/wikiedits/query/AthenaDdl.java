package org.wikiedits.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints the lake contract's Athena and Glue definitions for the infra scripts ({@code infra/deploy},
 * {@code infra/local}), so that they never write SQL or columns of their own:
 * <pre>
 * java -cp target/camel-app.jar org.wikiedits.query.AthenaDdl view DATABASE TABLE       # CREATE OR REPLACE VIEW wikiedits_v
 * java -cp target/camel-app.jar org.wikiedits.query.AthenaDdl all-view DATABASE            # CREATE OR REPLACE VIEW wikiedits_all
 * java -cp target/camel-app.jar org.wikiedits.query.AthenaDdl glue-table TABLE S3_URI    # Glue TableInput JSON
 * java -cp target/camel-app.jar org.wikiedits.query.AthenaDdl named-query NAME           # a named query, --limit 100
 * java -cp target/camel-app.jar org.wikiedits.query.AthenaDdl named-queries              # their names, one a line
 * </pre>
 */
public final class AthenaDdl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AthenaDdl() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.out.println(run(List.of(args)));
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
        }
    }

    /** The text the command prints. */
    public static String run(List<String> args) throws Exception {
        String command = args.isEmpty() ? "" : args.get(0);
        switch (command) {
            case "view" -> {
                requireArgs(args, 3);
                return LakeSql.athenaCreateView(args.get(1), args.get(2));
            }
            case "all-view" -> {
                requireArgs(args, 2);
                return LakeSql.athenaCreateAllView(args.get(1));
            }
            case "glue-table" -> {
                requireArgs(args, 3);
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(glueTableInput(args.get(1), args.get(2)));
            }
            case "named-query" -> {
                requireArgs(args, 2);
                return namedQuery(args.get(1));
            }
            case "named-queries" -> {
                return String.join("\n", NamedQueries.all().stream().map(NamedQueries.NamedQuery::name).toList());
            }
            default -> throw new IllegalArgumentException(command.isEmpty() ? "no command" : "unknown command '" + command + "'");
        }
    }

    /** A named query's SQL with the default limit written in; its two {@code ?} stay execution parameters. */
    static String namedQuery(String name) {
        return NamedQueries.byName(name).sql().replace("{limit}", Integer.toString(NamedQueries.DEFAULT_LIMIT));
    }

    /** Glue's {@code TableInput} for the lake table at {@code location} (s3://bucket/wikiedits/), from {@link LakeSql}. */
    static ObjectNode glueTableInput(String table, String location) {
        LakeSql.requireGlueName("table", table);
        ObjectNode input = JSON.createObjectNode().put("Name", table).put("TableType", "EXTERNAL_TABLE");
        ObjectNode parameters = input.putObject("Parameters");
        LakeSql.glueTableParameters(location).forEach(parameters::put);
        columns(input.putArray("PartitionKeys"), LakeSql.gluePartitionKeys());
        ObjectNode storage = input.putObject("StorageDescriptor")
                .put("Location", location.endsWith("/") ? location : location + "/")
                .put("InputFormat", "org.apache.hadoop.mapred.TextInputFormat")
                .put("OutputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
        ObjectNode serde = storage.putObject("SerdeInfo").put("SerializationLibrary", LakeSql.GLUE_SERDE_LIBRARY);
        ObjectNode serdeParameters = serde.putObject("Parameters");
        LakeSql.glueSerdeParameters().forEach(serdeParameters::put);
        columns(storage.putArray("Columns"), LakeSql.glueColumns());
        return input;
    }

    private static void columns(ArrayNode array, List<LakeSql.GlueColumn> columns) {
        columns.forEach(c -> array.addObject().put("Name", c.name()).put("Type", c.type()));
    }

    private static void requireArgs(List<String> args, int count) {
        if (args.size() != count) {
            throw new IllegalArgumentException("'" + args.get(0) + "' takes " + (count - 1) + " argument(s)");
        }
    }

    private static void usage(PrintStream out, String problem) {
        out.println("AthenaDdl: " + problem);
        out.println("usage: AthenaDdl view DATABASE TABLE | all-view DATABASE | glue-table TABLE s3://BUCKET/wikiedits/ | named-query NAME | named-queries");
    }
}
