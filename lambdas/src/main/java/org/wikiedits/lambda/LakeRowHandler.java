package org.wikiedits.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Firehose → S3 (lake) transformation: each recentchange JSON record becomes one CSV lake row,
 * with {@code metadata.partitionKeys} {@code dt} and {@code hour} for S3 dynamic partitioning.
 * Handler string: {@code org.wikiedits.lambda.LakeRowHandler::handleRequest}. A stream handler, so
 * the function needs no aws-lambda-java-events or serialization library.
 */
public final class LakeRowHandler implements RequestStreamHandler {

    // built once per execution environment, reused by every invocation
    private final FirehoseTransformer transformer = new FirehoseTransformer(new LakeRowTransformation());

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        transformer.transform(input, output, context.getLogger()::log);
    }
}
