package org.wikiedits.dashboard;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;

/**
 * Named queries on the local lake with DuckDB, one at a time, each on a fresh in-memory
 * connection (it sees the files committed since the last one) held to a small memory and thread
 * budget: the dashboard shares the JVM with the pipeline and the embedded node.
 */
public final class DuckDbLakeQueries implements LakeQueryRunner {

    static final String MEMORY_LIMIT = "128MB";
    static final int THREADS = 1;

    private final Path lake;

    public DuckDbLakeQueries(Path lake) {
        this.lake = lake;
    }

    @Override
    public synchronized NamedQueries.Result run(NamedQueries.BoundQuery query) throws Exception {
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            try (Statement limits = duckDb.createStatement()) {
                limits.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
                limits.execute("SET threads = " + THREADS);
            }
            return query.run(duckDb);
        }
    }

    @Override
    public String describe() {
        return "DuckDB over " + lake.toAbsolutePath().normalize();
    }
}
