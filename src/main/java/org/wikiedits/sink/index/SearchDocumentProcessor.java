package org.wikiedits.sink.index;

import org.wikiedits.commit.Headers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.SearchDocument;

/**
 * Route step {@code searchDocument}: event → search document. The body becomes the document's
 * JSON; its {@code _id} ({@code meta.id}) goes in a header for the index sink. A thin Camel adapter over the framework-free {@link SearchDocument},
 * which the Firehose Lambda wraps too (see {@link org.wikiedits.sink.lake.LakeRowProcessor} for why not one Camel class).
 */
public final class SearchDocumentProcessor implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        RecentChange rc = message.getMandatoryBody(RecentChange.class);
        message.setHeader(Headers.DOCUMENT_ID, SearchDocument.id(rc));
        message.setBody(SearchDocument.toJson(rc));
    }
}
