package org.wikiedits.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Firehose → OpenSearch transformation: each recentchange JSON record becomes one search document
 * (single-line JSON, no trailing newline, no partition keys).
 * Handler string: {@code org.wikiedits.lambda.SearchDocumentHandler::handleRequest}.
 */
public final class SearchDocumentHandler implements RequestStreamHandler {

    // built once per execution environment, reused by every invocation
    private final FirehoseTransformer transformer = new FirehoseTransformer(new SearchDocumentTransformation());

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        transformer.transform(input, output, context.getLogger()::log);
    }
}
