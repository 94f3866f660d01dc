package org.wikiedits.lambda;

import org.wikiedits.transform.RecentChange;

/** Maps one readable, non-canary event to its Firehose payload, using the shared transform classes only. */
@FunctionalInterface
public interface EventTransformation {

    TransformedEvent apply(RecentChange rc);
}
