package org.wikiedits.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The compact id set behaves exactly like a {@code HashSet<String>} of the same ids. */
class EventIdSetTest {

    private final Random random = new Random(20261130);

    /** Applies every id to both sets and checks that they agree on each answer and on the size. */
    private static void assertBehavesLikeHashSet(List<String> ids) {
        EventIdSet compact = new EventIdSet();
        Set<String> reference = new HashSet<>();
        for (String id : ids) {
            assertThat(compact.contains(id)).as("contains %s before add", id).isEqualTo(reference.contains(id));
            assertThat(compact.add(id)).as("add %s", id).isEqualTo(reference.add(id));
            assertThat(compact.contains(id)).as("contains %s after add", id).isTrue();
        }
        assertThat(compact.size()).isEqualTo(reference.size());
        for (String id : reference) {
            assertThat(compact.add(id)).as("second add of %s", id).isFalse();
        }
        assertThat(compact.size()).isEqualTo(reference.size());
    }

    private String randomUuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    @Test
    void manyRandomUuidsWithRepeatsAgreeWithAHashSetThroughSeveralResizes() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) { // 16 slots at first: the table grows some 25 times
            ids.add(i % 7 == 3 ? ids.get(random.nextInt(ids.size())) : randomUuid());
        }
        assertBehavesLikeHashSet(ids);
    }

    @Test
    void idsThatAreNotCanonicalUuidsAreKeptExactlyAsGiven() {
        String uuid = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";
        List<String> ids = List.of(
                uuid,
                uuid.toUpperCase(Locale.ROOT),                  // the same 128 bits, another spelling
                "3F2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b",         // one upper-case digit
                uuid.replace("-", ""),                          // no hyphens
                "{" + uuid + "}",
                uuid.substring(1),                              // 35 characters
                uuid + "0",                                     // 37 characters
                "3f2b8c1e9-a4d-4e6f-8b7a-1c2d3e4f5a6b",         // a hyphen out of place
                "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6g",         // not hex
                "gen-17-3f2b8c1e-9a4d-4e6f",
                "",
                "a",
                "ääääääää-ääää-ääää-ääää-ääääääääääää",
                "gen-17-3f2b8c1e-9a4d-4e6f",                    // repeated
                uuid.toUpperCase(Locale.ROOT));                 // repeated
        assertBehavesLikeHashSet(ids);

        EventIdSet set = new EventIdSet();
        set.add(uuid);
        assertThat(set.contains(uuid.toUpperCase(Locale.ROOT))).as("upper case is another id").isFalse();
        assertThat(set.add(uuid.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void mixedUuidsAndOtherIdsAgreeWithAHashSet() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String uuid = randomUuid();
            ids.add(switch (i % 5) {
                case 0 -> uuid.toUpperCase(Locale.ROOT);
                case 1 -> "gen-" + i;
                default -> uuid;
            });
            if (i % 11 == 0) {
                ids.add(ids.get(random.nextInt(ids.size())));
            }
        }
        assertBehavesLikeHashSet(ids);
    }

    @Test
    void theZeroUuidAndOtherEdgeValuesAreDistinctIds() {
        List<String> ids = List.of(
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-000000000001",
                "00000000-0000-0001-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "ffffffff-ffff-ffff-0000-000000000000",
                "00000000-0000-0000-ffff-ffffffffffff",
                "80000000-0000-0000-8000-000000000000",
                "7fffffff-ffff-ffff-7fff-ffffffffffff",
                "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff");
        assertBehavesLikeHashSet(ids);

        EventIdSet set = new EventIdSet();
        assertThat(set.contains("00000000-0000-0000-0000-000000000000")).isFalse();
        assertThat(set.size()).isZero();
        assertThat(set.add("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(set.contains("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(set.contains("00000000-0000-0000-0000-000000000001")).isFalse();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void idsThatDifferOnlyInOneHalfOrCollideInTheTableAreAllKept() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // same high half, low half counting up: clustered input
            ids.add(new UUID(0x0123456789abcdefL, i).toString());
            ids.add(new UUID(i, 0x0123456789abcdefL).toString());
        }
        assertBehavesLikeHashSet(ids);
    }

    @Test
    void onlyWhatUuidToStringWritesCountsAsCanonical() {
        assertThat(EventIdSet.isCanonicalUuid(UUID.randomUUID().toString())).isTrue();
        assertThat(EventIdSet.isCanonicalUuid(UUID.randomUUID().toString().toUpperCase(Locale.ROOT))).isFalse();
        assertThat(EventIdSet.isCanonicalUuid(null)).isFalse();
        assertThat(EventIdSet.isCanonicalUuid("0-0-0-0-0")).isFalse(); // UUID.fromString accepts it, toString does not write it
    }
}
