package org.wikiedits.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.wikiedits.transform.SearchDocument;

/**
 * One panel of {@code /api/live/{panel}}: its name in the path, its one {@code _search} request on the
 * index, and how OpenSearch's answer reads as the panel's record (what the API returns as JSON). Pure: no
 * I/O, so each request and answer shape is unit-tested; {@link LiveIndex} sends the request. The panels
 * are defined and listed in {@link LivePanels}.
 *
 * @param <A> the panel's record
 */
public interface LivePanel<A> {

    /** The name in {@code /api/live/{name}}, such as {@code top-wikis}. */
    String name();

    /**
     * Whether the request covers the {@link LiveWindow}: then it needs the newest event time, and an
     * empty index answers {@link #empty} without asking.
     */
    default boolean windowed() {
        return true;
    }

    /** The index it searches: the edits' ({@code wikiedits}) unless it says otherwise (the alerts panel). */
    default String index() {
        return SearchDocument.INDEX;
    }

    /** The {@code _search} body with at most {@code rows} rows; {@code window} is null when not {@link #windowed}. */
    String request(LiveWindow window, int rows);

    /** The panel's record from OpenSearch's answer to {@link #request} ({@code {}} when the index does not exist yet). */
    A answer(JsonNode response);

    /** The record of a windowed panel when nothing is indexed yet, saying {@code why}. */
    A empty(String why);
}
