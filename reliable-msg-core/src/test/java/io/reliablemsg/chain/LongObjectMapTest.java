package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing map against a {@link HashMap}: large and sparse, and small and full, where probes wrap
 * around the table's end and backward-shift deletion moves entries across it; a key put twice, a put beyond
 * the load factor of one half, and clear.
 */
class LongObjectMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomInsertAndRemove() {
        LongObjectMap<Long> map = new LongObjectMap<>(1000);
        Map<Long, Long> model = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(3000);
            if (model.containsKey(key)) {
                assertThat(map.remove(key)).isEqualTo(model.remove(key));
            } else if (model.size() < 1000) {
                map.putNew(key, key * 3);
                model.put(key, key * 3);
            }
            long probe = random.nextInt(3000);
            assertThat(map.get(probe)).isEqualTo(model.get(probe));
            assertThat(map.size()).isEqualTo(model.size());
        }
    }

    @Test
    void behavesLikeAHashMapWhenFullSoThatProbesAndDeletionsWrapAroundTheTable() {
        for (long seed = 0; seed < 10; seed++) {
            LongObjectMap<Long> map = new LongObjectMap<>(4); // 8 slots, at most 4 entries: long probe runs
            Map<Long, Long> model = new HashMap<>();
            Random random = new Random(seed);
            for (int i = 0; i < 2_000; i++) {
                long key = random.nextInt(12) - 6; // negative keys too
                if (model.containsKey(key)) {
                    assertThat(map.remove(key)).isEqualTo(model.remove(key));
                } else if (model.size() < 4) {
                    map.putNew(key, key * 3);
                    model.put(key, key * 3);
                }
                for (long probe = -6; probe < 6; probe++) {
                    assertThat(map.get(probe)).as("seed %d step %d key %d", seed, i, probe).isEqualTo(model.get(probe));
                }
                assertThat(map.size()).isEqualTo(model.size());
            }
        }
    }

    @Test
    void aKeyPutTwiceIsRefusedAndTheFirstValueKept() {
        LongObjectMap<String> map = new LongObjectMap<>(8);
        map.putNew(42, "first");
        assertThatIllegalStateException().isThrownBy(() -> map.putNew(42, "second")).withMessageContaining("42");
        assertThat(map.get(42)).isEqualTo("first");
        assertThat(map.size()).isOne();
    }

    @Test
    void aMapHoldsHalfItsSlotsAndRefusesTheNextPut() {
        LongObjectMap<Long> map = new LongObjectMap<>(4); // 8 slots
        for (long key = 0; key < 4; key++) {
            map.putNew(key, key);
        }
        assertThatIllegalStateException().isThrownBy(() -> map.putNew(4, 4L)).withMessageContaining("full");
        assertThat(map.size()).isEqualTo(4);
        assertThat(map.get(4)).isNull();
    }

    @Test
    void clearForgetsEveryEntry() {
        LongObjectMap<Long> map = new LongObjectMap<>(4);
        for (long key = 0; key < 4; key++) {
            map.putNew(key, key);
        }
        map.clear();
        assertThat(map.size()).isZero();
        for (long key = 0; key < 4; key++) {
            assertThat(map.get(key)).isNull();
            assertThat(map.remove(key)).isNull();
        }
        map.putNew(1, 10L);
        assertThat(map.get(1)).isEqualTo(10L);
    }
}
