package org.wikiedits.dashboard;

import java.util.function.Supplier;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.athena.AthenaQueryRunner;

/**
 * Named queries on Athena (aws mode) through the query subcommand's own Camel routes
 * ({@link AthenaQueryRunner}), started on the first history request and kept until the app stops.
 */
public final class AthenaLakeQueries implements LakeQueryRunner {

    private final Supplier<Settings> settings;
    private AthenaQueryRunner runner;

    public AthenaLakeQueries(Supplier<Settings> settings) {
        this.settings = settings;
    }

    @Override
    public synchronized NamedQueries.Result run(NamedQueries.BoundQuery query) throws Exception {
        if (runner == null) {
            runner = AthenaQueryRunner.start(settings.get());
        }
        return runner.run(query);
    }

    @Override
    public String describe() {
        return "Athena (workgroup " + settings.get().get("wikiedits.athena.workgroup") + ")";
    }

    @Override
    public synchronized void close() throws Exception {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
