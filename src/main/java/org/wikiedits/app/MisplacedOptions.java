package org.wikiedits.app;

import java.util.List;

/**
 * Java reads {@code -Dkey=value} only before {@code -jar camel-app.jar} (or the main class); after it,
 * the option is a program argument that would be ignored or taken for a command. Say so instead.
 */
final class MisplacedOptions {

    private MisplacedOptions() {
    }

    /** @throws IllegalArgumentException when an argument looks like {@code -Dkey=value} */
    static void reject(List<String> args) {
        args.stream().filter(arg -> arg.startsWith("-D") && arg.length() > 2).findFirst().ifPresent(arg -> {
            throw new IllegalArgumentException("'" + arg + "' comes after -jar, where Java does not read it: put -D options"
                    + " before -jar, as in java " + arg + " -jar target/camel-app.jar" + " (settings can also be environment"
                    + " variables, see --help)");
        });
    }
}
