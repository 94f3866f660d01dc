package org.wikiedits.sink.index;

import java.util.Set;
import java.util.regex.Pattern;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.wikiedits.transform.SearchDocument;

/**
 * What an item refused in a bulk answer is about, decided by OpenSearch's error type, not its status: a
 * closed index answers 400 like a mapping error, and only the second says anything about the document.
 * docs/reliability.md ("Index refusals") lists the rules.
 */
public enum RefusalKind {

    /** The document as it is: the index will never take it, so it goes to the dead-letter store. */
    DOCUMENT,
    /**
     * The index or the cluster (closed, blocked, missing, forbidden, overloaded, shards or nodes unavailable):
     * the batch is held and sent again with back-off for as long as the refusal lasts.
     */
    INDEX,
    /**
     * A type not known here: held like {@link #INDEX}; only a document singled out by it for ten minutes is
     * dead-lettered ({@link UnclassifiedRefusals}).
     */
    UNCLASSIFIED;

    /** Errors about the document itself. */
    private static final Set<String> DOCUMENT_TYPES = Set.of(
            "mapper_parsing_exception", "document_parsing_exception", "strict_dynamic_mapping_exception",
            "x_content_parse_exception", "json_parse_exception", "max_bytes_length_exceeded_exception");

    /** Errors about the index or the cluster (OpenSearch 2.x names, and the Elasticsearch names some proxies still answer). */
    private static final Set<String> INDEX_TYPES = Set.of(
            "index_closed_exception", "cluster_block_exception", "index_not_found_exception", "invalid_index_name_exception",
            "security_exception", "authentication_exception", "authorization_exception",
            "unavailable_shards_exception", "no_shard_available_action_exception", "shard_not_found_exception",
            "primary_missing_action_exception", "illegal_index_shard_state_exception", "index_shard_closed_exception",
            "node_not_connected_exception", "node_disconnected_exception", "node_closed_exception", "no_node_available_exception",
            "connect_transport_exception", "receive_timeout_transport_exception", "send_request_transport_exception",
            "cluster_manager_not_discovered_exception", "master_not_discovered_exception", "not_cluster_manager_exception",
            "process_cluster_event_timeout_exception", "timeout_exception",
            "rejected_execution_exception", "es_rejected_execution_exception", "opensearch_rejected_execution_exception",
            "circuit_breaking_exception");

    /** "failed to parse field [namespace]", "immense term in field=\"user\"": about a field of the document. */
    private static final Pattern ABOUT_A_FIELD = Pattern.compile("\\bfields?\\b", Pattern.CASE_INSENSITIVE);

    /** The kind of {@code error}; no error at all (a status without a body) is {@link #UNCLASSIFIED}. */
    public static RefusalKind of(ErrorCause error) {
        if (error == null || error.type() == null) {
            return UNCLASSIFIED;
        }
        String type = error.type();
        if (DOCUMENT_TYPES.contains(type)) {
            return DOCUMENT;
        }
        if ("illegal_argument_exception".equals(type)) {
            // on a field: the document's; otherwise the index's set-up ("no write index is defined for alias [...]")
            return error.reason() != null && ABOUT_A_FIELD.matcher(error.reason()).find() ? DOCUMENT : UNCLASSIFIED;
        }
        return INDEX_TYPES.contains(type) ? INDEX : UNCLASSIFIED;
    }

    /** What an operator can do about an index-wide refusal of {@code type}, or "" when the reason says enough. */
    static String advice(String type) {
        return switch (type == null ? "" : type) {
            case "index_closed_exception" -> "; open the index (POST /" + SearchDocument.INDEX + "/_open)";
            case "cluster_block_exception" -> "; lift the block the reason names (PUT /" + SearchDocument.INDEX + "/_settings with the"
                    + " index.blocks setting null; a flood-stage disk block lifts once disk space is freed)";
            case "index_not_found_exception" -> "; create the index, or allow its creation (action.auto_create_index):"
                    + " the template gives it the mapping";
            case "security_exception", "authentication_exception", "authorization_exception" -> IndexTemplate.hint(403);
            default -> "";
        };
    }
}
