package org.wikiedits.transform;

/** An event that cannot be read; the message is the reason stored with the dead letter. */
public class MalformedEventException extends Exception {
    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
