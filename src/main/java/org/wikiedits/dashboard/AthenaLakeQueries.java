package org.wikiedits.dashboard;

import java.util.function.Supplier;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.athena.AthenaQueryException;
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

    /** Runs {@code query}; a setting that is missing or wrong makes the panel unavailable (503) saying what to set. */
    @Override
    public synchronized NamedQueries.Result run(NamedQueries.BoundQuery query) throws Exception {
        try {
            if (runner == null) {
                runner = AthenaQueryRunner.start(settings.get());
            }
            return runner.run(query);
        } catch (IllegalArgumentException e) {
            // AthenaSettings' messages say what to set; not the request's fault, so never a 400
            throw new PanelUnavailableException(e.getMessage());
        } catch (AthenaQueryException e) {
            if (e.needsSetting()) {
                throw new PanelUnavailableException(e.getMessage());
            }
            throw e;
        }
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
