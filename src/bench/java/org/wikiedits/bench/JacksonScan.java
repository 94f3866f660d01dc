package org.wikiedits.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** The floor: Jackson's streaming parser merely stepping through every token of the same bytes. */
final class JacksonScan {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JacksonScan() {
    }

    static int tokens(byte[] json) throws IOException {
        int tokens = 0;
        try (JsonParser parser = FACTORY.createParser(json)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }
}
