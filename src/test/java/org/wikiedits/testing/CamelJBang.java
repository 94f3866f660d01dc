package org.wikiedits.testing;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * The {@code camel} command without the jbang launcher (which needs GitHub): camel-jbang-core's
 * {@link CamelJBangMain#run}, which ends with {@code System.exit}, so tests run it in a child JVM
 * ({@link ForkedApp#startMain}).
 */
public final class CamelJBang {

    private CamelJBang() {
    }

    public static void main(String[] args) {
        CamelJBangMain.run(args);
    }
}
