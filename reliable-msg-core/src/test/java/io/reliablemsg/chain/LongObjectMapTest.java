package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

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
}
