package org.wikiedits.sql;

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
import java.util.Properties;
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
 * exactly one SELECT, or it is refused. While it runs, a watchdog cancels it at the time limit,
 * and the result is read up to the row limit. Every refusal says which fence stopped it.
 */
public final class SqlSandbox implements AutoCloseable {

    /** The sandbox's limits; {@link #DEFAULT} for the command line. */
    public record Limits(String memory, int threads, int maxRows, Duration timeout) {
        public static final Limits DEFAULT = new Limits("512MB", 2, 10_000, Duration.ofSeconds(60));
    }

    /** A statement or a run the sandbox refuses; the message names the rule or the limit. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        properties.setProperty("allow_community_extensions", "false");
        Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
        try (Statement setup = connection.createStatement()) {
            setup.execute("SET memory_limit = " + LakeSql.literal(limits.memory()));
            setup.execute("SET threads = " + limits.threads());
            setup.execute("SET temp_directory = ''"); // no spilling: nothing is written anywhere
            setup.execute(LakeSql.hasLakeFiles(connection, lake) ? LakeSql.duckDbCreateView(lake) : LakeSql.duckDbCreateEmptyView());
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
            try (ResultSet rs = statement.executeQuery(sql)) {
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
                throw new Refused("only a read-only SELECT may run here: COPY, ATTACH, INSTALL, LOAD, CREATE, INSERT,"
                        + " UPDATE, DELETE, PRAGMA, SET, EXPLAIN and the like are refused");
            }
            throw new SQLException("the SQL does not parse: " + message);
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            throw new Refused("one statement at a time: this text holds " + statements);
        }
    }

    private Refused refusalOrError(SQLException e, boolean timedOut) throws SQLException {
        String message = String.valueOf(e.getMessage());
        if (timedOut || message.contains("INTERRUPT")) {
            return new Refused("the query ran longer than the time limit of " + limits.timeout().toSeconds() + " s and was"
                    + " cancelled: narrow it (a dt range, fewer joins)");
        }
        if (message.contains("Out of Memory")) {
            return new Refused("the query needs more than the memory limit of " + limits.memory() + ": aggregate earlier or"
                    + " narrow it (a dt range)");
        }
        if (message.contains("Permission Error") || message.contains("disabled by configuration")) {
            return new Refused("only the lake can be read (" + LakeSql.VIEW + "); files, URLs and extensions outside it are"
                    + " closed: " + message.lines().findFirst().orElse(message));
        }
        throw e;
    }

    @Override
    public void close() throws SQLException {
        watchdog.shutdownNow();
        duckDb.close();
    }
}
