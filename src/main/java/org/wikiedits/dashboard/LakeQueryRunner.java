package org.wikiedits.dashboard;

import org.wikiedits.query.NamedQueries;

/** Runs a bound named query on the lake's engine: DuckDB locally, Athena in aws mode. */
public interface LakeQueryRunner extends AutoCloseable {

    NamedQueries.Result run(NamedQueries.BoundQuery query) throws Exception;

    /** Where the queries run, for messages ("DuckDB over /data/lake", "Athena workgroup wikiedits"). */
    String describe();

    @Override
    default void close() throws Exception {
    }
}
