package org.wikiedits.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.DataFolder;
import org.wikiedits.config.Settings;

/**
 * The app's {@code run} with a lake disk that fills up while a flag file exists, for forked apps
 * ({@link ForkedApp#startMain}): {@code -Dwikiedits.test.disk-full-flag=PATH}. A soak or a test
 * creates the file to fill the disk and deletes it to free the disk, across restarts of the app.
 */
public final class FaultyDiskApp {

    public static final String FLAG_PROPERTY = "wikiedits.test.disk-full-flag";

    private FaultyDiskApp() {
    }

    public static void main(String[] args) throws Exception {
        Path flag = Path.of(System.getProperty(FLAG_PROPERTY));
        FaultyFileSystem disk = new FaultyFileSystem();
        Thread watcher = new Thread(() -> {
            boolean full = false;
            while (true) {
                boolean now = Files.exists(flag);
                if (now != full) {
                    disk.diskFull(now);
                    System.err.println("wikiedits test: the lake disk is " + (now ? "full" : "free again"));
                    full = now;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "disk-full-flag");
        watcher.setDaemon(true);
        watcher.start();
        Settings settings = Settings.load();
        try (DataFolder data = DataFolder.claim(settings.dataDir());
             Pipeline pipeline = new Pipeline(settings).bind("lakeFileSystem", disk)) {
            pipeline.run(new String[0]);
        }
    }
}
