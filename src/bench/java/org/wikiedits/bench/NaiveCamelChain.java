package org.wikiedits.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.wikiedits.transform.CsvRow;

/**
 * The comparison the issue asks for: what a Camel route would do without the project's reader,
 * camel-jackson's {@code unmarshal} to a {@code Map}, the columns picked from it, then camel-csv's
 * {@code marshal} (lake row) or camel-jackson's {@code marshal} (search document).
 */
final class NaiveCamelChain implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();
    private final JacksonDataFormat toMap = new JacksonDataFormat(Map.class);
    private final JacksonDataFormat toJson = new JacksonDataFormat();
    private final CsvDataFormat toCsv = new CsvDataFormat(CsvRow.FORMAT);
    private final Exchange exchange = new DefaultExchange(context);

    NaiveCamelChain() {
        toMap.setCamelContext(context);
        toJson.setCamelContext(context);
        ServiceHelper.startService(context, toMap, toJson, toCsv);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> unmarshal(byte[] json) throws Exception {
        return (Map<String, Object>) toMap.unmarshal(exchange, new ByteArrayInputStream(json));
    }

    byte[] lakeRow(byte[] json) throws Exception {
        Map<String, Object> event = unmarshal(json);
        Map<String, Object> meta = child(event, "meta");
        Map<String, Object> length = child(event, "length");
        Map<String, Object> revision = child(event, "revision");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", meta.get("id"));
        row.put("event_time", meta.get("dt"));
        row.put("timestamp", event.get("timestamp"));
        row.put("rc_id", event.get("id"));
        row.put("type", event.get("type"));
        row.put("wiki", event.get("wiki"));
        row.put("server_name", event.get("server_name"));
        row.put("namespace", event.get("namespace"));
        row.put("title", event.get("title"));
        row.put("user", event.get("user"));
        row.put("bot", event.get("bot"));
        row.put("minor", event.get("minor"));
        row.put("patrolled", event.get("patrolled"));
        row.put("length_old", length.get("old"));
        row.put("length_new", length.get("new"));
        row.put("revision_old", revision.get("old"));
        row.put("revision_new", revision.get("new"));
        row.put("log_type", event.get("log_type"));
        row.put("log_action", event.get("log_action"));
        row.put("comment", event.get("comment"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        toCsv.marshal(exchange, List.of(row), out);
        return out.toByteArray();
    }

    byte[] searchDocument(byte[] json) throws Exception {
        Map<String, Object> event = unmarshal(json);
        Map<String, Object> meta = child(event, "meta");
        Map<String, Object> length = child(event, "length");
        Map<String, Object> revision = child(event, "revision");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", meta.get("dt"));
        doc.put("event_id", meta.get("id"));
        doc.put("wiki", event.get("wiki"));
        doc.put("server_name", event.get("server_name"));
        doc.put("type", event.get("type"));
        doc.put("namespace", event.get("namespace"));
        doc.put("title", event.get("title"));
        doc.put("user", event.get("user"));
        doc.put("bot", event.get("bot"));
        doc.put("minor", event.get("minor"));
        doc.put("patrolled", event.get("patrolled"));
        doc.put("length_old", length.get("old"));
        doc.put("length_new", length.get("new"));
        if (length.get("new") instanceof Number newLength) {
            long old = length.get("old") instanceof Number oldLength ? oldLength.longValue() : 0;
            doc.put("length_delta", newLength.longValue() - old);
        }
        doc.put("revision_new", revision.get("new"));
        doc.put("log_type", event.get("log_type"));
        doc.put("log_action", event.get("log_action"));
        doc.put("comment", event.get("comment"));
        doc.values().removeIf(value -> value == null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        toJson.marshal(exchange, doc, out);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> event, String field) {
        return event.get(field) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @Override
    public void close() {
        ServiceHelper.stopService(toMap, toJson, toCsv, context);
    }
}
