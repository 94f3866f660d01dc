package org.wikiedits.sink.lake;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.SinkKind;

/**
 * The lake as a sink of local mode ({@code wikiedits.sinks} names {@code lake}): the CSV lake under
 * {@code <data>/lake/wikiedits/}, bound as {@code lakeSink} for the routes of {@code routes/local/lake/}.
 */
public final class LakeSinkKind implements SinkKind {

    @Override
    public String name() {
        return LakeWriter.SINK;
    }

    @Override
    public Object bind(CamelContext context) throws Exception {
        SettingValues settings = SettingValues.of(context.getPropertiesComponent());
        Path dataDir = Path.of(settings.required("wikiedits.data.dir"));
        // tests bind a "lakeFileSystem" to inject disk-full and rename faults
        LakeFileSystem fileSystem = Optional.ofNullable(context.getRegistry()
                .lookupByNameAndType("lakeFileSystem", LakeFileSystem.class)).orElse(LakeFileSystem.DEFAULT);
        CommitTracker tracker = context.getRegistry().lookupByNameAndType("commitTracker", CommitTracker.class);
        LakeSink lakeSink = new LakeSink(LakeWriter.fromSettings(settings, new LocalLakeStorage(dataDir.resolve("lake").resolve("wikiedits"), fileSystem),
                tracker));
        context.addService(lakeSink, true, true);
        context.getRegistry().bind("lakeSink", lakeSink);
        return lakeSink;
    }

    @Override
    public String describe(UnaryOperator<String> setting) {
        return "lake " + Path.of(setting.apply("wikiedits.data.dir")).toAbsolutePath().normalize().resolve("lake");
    }
}
