package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reply cache on its own, at its bounds: an entry costs its reply's length plus
 * {@link ReplyCache#ENTRY_OVERHEAD_BYTES}; entries that exactly fill the capacity are all kept and one
 * byte more evicts the least recently sent; a reply larger than the whole capacity is not kept; an
 * entry is kept for exactly the hold time since it was last sent and forgotten a nanosecond later.
 */
class ReplyCacheTest {
    private static final long HOLD_NS = 1_000;
    private static final long T0 = 5_000_000_000L;
    private static final int COST_OF_EMPTY = ReplyCache.ENTRY_OVERHEAD_BYTES;

    private static ReplyCache.Key key(long msgId) {
        return new ReplyCache.Key(7, 3, msgId);
    }

    @Test
    void anEntryCostsItsReplyLengthPlusTheOverheadAndAReplacedEntryIsChargedOnce() {
        ReplyCache cache = new ReplyCache(10_000, HOLD_NS);
        cache.put(key(1), new byte[10], false, T0);
        assertThat(cache.bytes.get()).isEqualTo(10 + COST_OF_EMPTY);
        assertThat(cache.count.get()).isEqualTo(1);

        cache.put(key(1), new byte[3], true, T0); // the same request answered again: replaces, not adds
        assertThat(cache.bytes.get()).isEqualTo(3 + COST_OF_EMPTY);
        assertThat(cache.count.get()).isEqualTo(1);
        ReplyCache.Entry entry = cache.get(key(1), T0);
        assertThat(entry.reply).hasSize(3);
        assertThat(entry.noReply).isTrue();
        assertThat(cache.evictions.get()).isZero();
    }

    @Test
    void entriesThatExactlyFillTheCapacityAreAllKeptAndOneByteMoreEvictsTheLeastRecentlySent() {
        ReplyCache cache = new ReplyCache(3L * (100 + COST_OF_EMPTY), HOLD_NS);
        cache.put(key(1), new byte[100], false, T0);
        cache.put(key(2), new byte[100], false, T0 + 1);
        cache.put(key(3), new byte[100], false, T0 + 2);
        assertThat(cache.count.get()).isEqualTo(3);
        assertThat(cache.evictions.get()).isZero();
        assertThat(cache.bytes.get()).isEqualTo(3L * (100 + COST_OF_EMPTY));

        cache.get(key(1), T0 + 3); // sent again: now 2 is the least recently sent
        cache.put(key(4), new byte[1], false, T0 + 4);

        assertThat(cache.evictions.get()).isEqualTo(1);
        assertThat(cache.count.get()).isEqualTo(3);
        assertThat(cache.bytes.get()).isEqualTo(2L * (100 + COST_OF_EMPTY) + 1 + COST_OF_EMPTY);
        assertThat(cache.get(key(2), T0 + 5)).isNull();
        assertThat(cache.get(key(1), T0 + 5)).isNotNull();
        assertThat(cache.get(key(3), T0 + 5)).isNotNull();
        assertThat(cache.get(key(4), T0 + 5)).isNotNull();
    }

    @Test
    void aReplyThatNeedsTheRoomOfSeveralEntriesEvictsAsManyAsItNeedsAndNoMore() {
        ReplyCache cache = new ReplyCache(3L * COST_OF_EMPTY + 10, HOLD_NS);
        cache.put(key(1), new byte[0], true, T0);
        cache.put(key(2), new byte[0], true, T0 + 1);
        cache.put(key(3), new byte[0], true, T0 + 2);

        cache.put(key(4), new byte[COST_OF_EMPTY + 10], false, T0 + 3); // needs two entries' room

        assertThat(cache.evictions.get()).isEqualTo(2);
        assertThat(cache.count.get()).isEqualTo(2);
        assertThat(cache.get(key(1), T0 + 4)).isNull();
        assertThat(cache.get(key(2), T0 + 4)).isNull();
        assertThat(cache.get(key(3), T0 + 4)).isNotNull();
        assertThat(cache.bytes.get()).isEqualTo(3L * COST_OF_EMPTY + 10);
    }

    @Test
    void aReplyExactlyTheCapacityIsKeptAndOneByteLargerIsSentOnceNotKeptEvictingNothing() {
        ReplyCache cache = new ReplyCache(COST_OF_EMPTY + 50, HOLD_NS);
        cache.put(key(1), new byte[50], false, T0);
        assertThat(cache.get(key(1), T0)).isNotNull();
        assertThat(cache.evictions.get()).isZero();

        cache.put(key(2), new byte[51], false, T0);

        assertThat(cache.get(key(2), T0)).isNull();
        assertThat(cache.get(key(1), T0)).as("nothing evicted for a reply that is not kept").isNotNull();
        assertThat(cache.evictions.get()).isEqualTo(1);
        assertThat(cache.count.get()).isEqualTo(1);
        assertThat(cache.bytes.get()).isEqualTo(COST_OF_EMPTY + 50);
    }

    @Test
    void anEntryIsKeptForExactlyTheHoldTimeSinceItWasLastSentAndForgottenANanosecondLater() {
        ReplyCache cache = new ReplyCache(10_000, HOLD_NS);
        cache.put(key(1), new byte[4], false, T0);
        cache.put(key(2), new byte[4], false, T0 + 500);

        cache.expire(T0 + HOLD_NS);
        assertThat(cache.count.get()).isEqualTo(2);

        cache.expire(T0 + HOLD_NS + 1);
        assertThat(cache.count.get()).isEqualTo(1);
        assertThat(cache.bytes.get()).isEqualTo(4 + COST_OF_EMPTY);
        assertThat(cache.get(key(1), T0 + HOLD_NS + 1)).isNull();

        // key 2 sent again (a duplicate answered from the cache): its hold time starts again
        assertThat(cache.get(key(2), T0 + 1_400)).isNotNull();
        cache.expire(T0 + 1_400 + HOLD_NS);
        assertThat(cache.count.get()).isEqualTo(1);
        cache.expire(T0 + 1_400 + HOLD_NS + 1);
        assertThat(cache.count.get()).isZero();
        assertThat(cache.bytes.get()).isZero();
        assertThat(cache.evictions.get()).as("expiry is not eviction").isZero();
    }

    @Test
    void expiryStopsAtTheFirstEntrySentWithinTheHoldTime() {
        ReplyCache cache = new ReplyCache(10_000, HOLD_NS);
        cache.put(key(1), new byte[1], false, T0);
        cache.put(key(2), new byte[1], false, T0 + 900);
        cache.put(key(3), new byte[1], false, T0 + 100);

        cache.expire(T0 + HOLD_NS + 200); // 1 and 3 are older than the hold time, but 3 comes after 2

        assertThat(cache.get(key(1), T0 + HOLD_NS + 200)).isNull();
        assertThat(cache.count.get()).isEqualTo(2);
    }
}
