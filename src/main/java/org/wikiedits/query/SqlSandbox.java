package org.wikiedits.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Free SQL over the local lake, safely ({@code query --sql}): one read-only {@code SELECT} over the
 * typed view {@value LakeSql#VIEW}, in an in-memory DuckDB that can read only the lake folder.
 *
 * <p>The fences, in order: extensions are neither installed nor loaded on demand; memory, threads
 * are capped and spilling to disk is off; the view is created; then {@code allowed_directories}
 * is the lake, {@code enable_external_access=false} closes every other file, URL and extension,
 * and {@code lock_configuration=true} stops any later {@code SET}. Before it runs, the text is
 * parsed by DuckDB itself ({@code json_serialize_sql}, which serialises only SELECT statements):
 * exactly one SELECT with no INSERT, UPDATE or DELETE inside (a data-modifying CTE), or it is
 * refused. It runs as {@code SELECT * FROM (<statement>) LIMIT maxRows + 1}, so DuckDB never builds
 * more rows than the limit allows (not streamed: DuckDB JDBC 2.0.0.1's streamed results report
 * any error while fetching as "Invalid result set", losing "Out of Memory" and CSV errors); a
 * watchdog cancels it at the time limit.
 * Every refusal says which fence stopped it.
 *
 * <p>DuckDB's memory limit covers its buffers, not every native allocation (a 1.5 GB string is
 * not a buffer): {@code query --sql} therefore runs the sandbox in a child process whose resident
 * memory as a whole is watched ({@link SandboxProcess}).
 */
public final class SqlSandbox implements AutoCloseable {

    /**
     * The sandbox's limits; {@link #DEFAULT} for the command line. {@code memoryMb} (MiB) is DuckDB's
     * memory limit in process; in {@code query --sql} it is the resident memory of the whole child
     * process (JVM and DuckDB), of which DuckDB's own limit gets a share ({@link SandboxProcess}).
     */
    public record Limits(int memoryMb, int threads, int maxRows, Duration timeout) {
        public static final Limits DEFAULT = new Limits(512, 2, 10_000, Duration.ofSeconds(60));
    }

    /** A statement or a run the sandbox refuses; the message names the rule or the limit. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The query nodes of a read-only statement; json_serialize_sql also serialises INSERT, UPDATE, DELETE inside a CTE. */
    private static final Set<String> READ_ONLY_NODES = Set.of("SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE",
            "CTE_NODE");

    private static final String ONLY_A_SELECT = "only a read-only SELECT may run here: COPY, ATTACH, INSTALL, LOAD, CREATE,"
            + " INSERT, UPDATE, DELETE, PRAGMA, SET, EXPLAIN and the like are refused";

    private final Connection duckDb;
    private final Limits limits;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sql-sandbox-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private SqlSandbox(Connection duckDb, Limits limits) {
        this.duckDb = duckDb;
        this.limits = limits;
    }

    /** A sandbox over {@code lake} (the folder that holds {@code wikiedits/dt=.../hour=.../*.csv}). */
    public static SqlSandbox open(Path lake, Limits limits) throws SQLException {
        return open(lake, limits, limits.memoryMb());
    }

    /** A sandbox whose DuckDB gets {@code duckDbMemoryMb} of the stated {@code limits.memoryMb()} (the rest is the JVM's). */
    static SqlSandbox open(Path lake, Limits limits, int duckDbMemoryMb) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        properties.setProperty("allow_community_extensions", "false");
        Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
        try (Statement setup = connection.createStatement()) {
            setup.execute("SET memory_limit = '" + duckDbMemoryMb + "MiB'");
            setup.execute("SET threads = " + limits.threads());
            setup.execute("SET temp_directory = ''"); // no spilling: nothing is written anywhere
            LakeSql.createViews(setup, lake);
            String lakeFolder = lake.toAbsolutePath().normalize().toString().replace('\\', '/') + "/";
            setup.execute("SET allowed_directories = [" + LakeSql.literal(lakeFolder) + "]");
            setup.execute("SET enable_external_access = false");
            setup.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new SqlSandbox(connection, limits);
    }

    /** Runs {@code sql} if it is exactly one SELECT and stays within the limits; otherwise {@link Refused}. */
    public NamedQueries.Result run(String sql) throws Refused, SQLException {
        requireOneSelect(sql);
        String capped = capped(sql);
        requireOneSelect(capped);
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Statement statement = duckDb.createStatement()) {
            ScheduledFuture<?> cancel = watchdog.schedule(() -> {
                timedOut.set(true);
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // the statement has finished meanwhile
                }
            }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try (ResultSet rs = statement.executeQuery(capped)) {
                return read(rs);
            } catch (SQLException e) {
                throw refusalOrError(e, timedOut.get());
            } finally {
                cancel.cancel(false);
            }
        }
    }

    private NamedQueries.Result read(ResultSet rs) throws SQLException, Refused {
        NamedQueries.Result result = NamedQueries.Result.read(rs, limits.maxRows());
        if (result.rows().size() > limits.maxRows()) {
            throw new Refused("the result has more than " + limits.maxRows() + " rows (the row limit): aggregate, or"
                    + " add a LIMIT");
        }
        return result;
    }

    /**
     * The statement inside {@code SELECT * FROM (...) LIMIT maxRows + 1}: DuckDB stops after one row
     * past the limit (an ORDER BY becomes a top-N) instead of building the whole result. The line breaks
     * end a trailing {@code --} comment; a trailing {@code ;} would end the subquery, so it goes.
     */
    private String capped(String sql) {
        String statement = sql.strip();
        while (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).strip();
        }
        return "SELECT * FROM (\n" + statement + "\n) AS capped LIMIT " + (limits.maxRows() + 1L);
    }

    /** DuckDB's own parser decides: one statement, and a SELECT (json_serialize_sql serialises nothing else). */
    private void requireOneSelect(String sql) throws Refused, SQLException {
        if (sql == null || sql.isBlank()) {
            throw new Refused("no SQL given: pass one SELECT over " + LakeSql.VIEW);
        }
        JsonNode parsed;
        try (PreparedStatement parse = duckDb.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            parse.setString(1, sql);
            try (ResultSet rs = parse.executeQuery()) {
                rs.next();
                parsed = JSON.readTree(rs.getString(1));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("cannot read DuckDB's parse of the statement", e);
        }
        if (parsed.path("error").asBoolean()) {
            String message = parsed.path("error_message").asText();
            if (message.contains("Only SELECT statements")) {
                throw new Refused(ONLY_A_SELECT);
            }
            throw new SQLException("the SQL does not parse: " + message);
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw new Refused("one statement at a time: this text holds " + statements);
        }
        Optional<String> writing = writingNode(parsed.path("statements"));
        if (writing.isPresent()) {
            throw new Refused(ONLY_A_SELECT + " (here inside the SELECT: " + writing.get().replace("_QUERY_NODE", "") + ")");
        }
    }

    /** The first query node in the parse tree that is not a read-only one (an INSERT_QUERY_NODE in a CTE, say). */
    private static Optional<String> writingNode(JsonNode tree) {
        String type = tree.path("type").asText("");
        if (type.endsWith("_NODE") && !READ_ONLY_NODES.contains(type)) {
            return Optional.of(type);
        }
        for (JsonNode child : tree) {
            Optional<String> found = writingNode(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Refused refusalOrError(SQLException e, boolean timedOut) throws SQLException {
        String message = String.valueOf(e.getMessage());
        if (timedOut || message.contains("INTERRUPT")) {
            return new Refused(timeRefusal(limits));
        }
        if (message.contains("Out of Memory")) {
            return new Refused(memoryRefusal(limits));
        }
        if (message.contains("Permission Error") || message.contains("disabled by configuration")) {
            return new Refused("only the lake can be read (" + LakeSql.VIEW + "); files, URLs and extensions outside it are"
                    + " closed: " + message.lines().findFirst().orElse(message));
        }
        throw e;
    }

    /** Why a query past the memory limit is refused; the same words whether DuckDB or the process watchdog stopped it. */
    static String memoryRefusal(Limits limits) {
        return "the query needs more than the memory limit of " + limits.memoryMb() + " MB: aggregate earlier or narrow it"
                + " (a dt range), and select long texts only where needed";
    }

    /** Why a query past the time limit is refused; the same words whether DuckDB or the process watchdog stopped it. */
    static String timeRefusal(Limits limits) {
        return "the query ran longer than the time limit of " + limits.timeout().toSeconds() + " s and was cancelled:"
                + " narrow it (a dt range, fewer joins)";
    }

    @Override
    public void close() throws SQLException {
        watchdog.shutdownNow();
        duckDb.close();
    }
}
