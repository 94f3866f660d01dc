package org.wikiedits.commit;

/**
 * Every header and exchange property name the routes and the Java steps share, in one place (as a Camel
 * component keeps its {@code …Constants}): a package needs no other package's class to name a header. The
 * values are what the YAML routes write ({@code ${header.WikieditsFlush}}, {@code name: WikieditsSink}); they
 * are public names and do not change.
 */
public final class Headers {

    // ---- the source, set on every exchange by the sse component (and the Kinesis intake) ----

    /**
     * The event's position, the id a restart resumes after: the SSE id, a recording's 1-based line number,
     * the generator's event number, or a Kinesis sequence number. Not {@link #EVENT_ID}: that is the event's
     * {@code meta.id}, which dead letters read; the two once shared a name and the index route's dead
     * letters got the SSE position as event_id.
     */
    public static final String SOURCE_POSITION = "WikieditsSourcePosition";
    /** The SSE event type: the {@code event:} field, {@code message} by default. */
    public static final String EVENT_TYPE = "WikieditsEventType";
    /** Set only when the event's bytes were not valid UTF-8: those bytes as they arrived ({@code byte[]}). */
    public static final String INVALID_UTF8 = "WikieditsInvalidUtf8";

    // ---- the commit protocol ----

    /** An event's sequence number, from admission to the sinks' acknowledgements. */
    public static final String SEQ = "WikieditsSeq";
    /**
     * The sink whose route carries the event (set by each sink route, after the fan-out): a dead letter
     * from that route settles the event for that sink only.
     */
    public static final String SINK = "WikieditsSink";
    /** Exchange property: the original event text, unchanged. */
    public static final String RAW = "WikieditsRaw";
    /** A flush tick: {@link #FLUSH_DUE} (the linger timer: send what has lingered) or {@link #FLUSH_ALL} (Camel stops: send everything). */
    public static final String FLUSH = "WikieditsFlush";
    public static final String FLUSH_DUE = "due";
    public static final String FLUSH_ALL = "all";

    // ---- the transformations' route steps ----

    /** The event's {@code meta.id}: the lake writes each event once by it, dead letters name it. */
    public static final String EVENT_ID = "WikieditsEventId";
    /** The lake row's partition, {@code dt=YYYY-MM-DD/hour=HH}. */
    public static final String PARTITION = "WikieditsPartition";
    /** The search document's {@code _id}. */
    public static final String DOCUMENT_ID = "WikieditsDocumentId";

    // ---- the deliveries ----

    /** Exchange property: the index's bulk batch being sent. */
    public static final String BULK_BATCH = "WikieditsBulkBatch";
    /** Exchange property: records of the batch not yet accepted (the route loops while it is above 0). */
    public static final String UNSENT = "WikieditsUnsent";
    /** Exchange property: how long to wait before the next call, in milliseconds (0 when none follows). */
    public static final String BACKOFF_MILLIS = "WikieditsBackoffMillis";
    /** Exchange property: the batch call in flight. */
    public static final String SENDING = "WikieditsSending";

    // ---- query ----

    /** Exchange property: the Athena query run of the exchange's query. */
    public static final String ATHENA_RUN = "WikieditsAthenaRun";
    /** Property: an alert's kind and subject ({@code page-surge:enwiki:Title}), what the webhook's cool-down goes by. */
    public static final String ALERT_SUBJECT = "WikieditsAlertSubject";

    private Headers() {
    }
}
