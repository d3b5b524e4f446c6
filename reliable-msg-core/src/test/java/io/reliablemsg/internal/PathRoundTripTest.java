package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A path's smoothed round trip (shown per path in the stats): a reply's round trip of 0 ms or more is
 * a sample (the first taken as is, then 1/8 of the way, as TCP's SRTT), a negative one (our clock
 * stepped back) is not, and any reply clears the path's error count.
 */
class PathRoundTripTest {
    private static final long NOW_MILLIS = 1_800_000_000_000L;

    private final PeerPaths peer = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.1.0.2", 7000),
            new InetSocketAddress("10.2.0.2", 7000)), 1472);

    private Paths paths() {
        MessengerConfig config = MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(100)).build();
        ProbeOut none = new ProbeOut() {
            @Override
            public void ping(PeerOutbox to, long nowMillis) {
            }

            @Override
            public void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis) {
            }
        };
        return new Paths(config, new PeerPaths[] {peer}, none, c -> { });
    }

    @Test
    void aZeroRoundTripIsASampleANegativeOneIsNotAndLaterSamplesMoveAnEighthOfTheWay() {
        Paths paths = paths();
        PeerPath first = peer.paths[0];
        first.errorCount = 1;
        paths.onReply(peer, first, NOW_MILLIS + 1, NOW_MILLIS);
        assertThat(first.smoothedRoundTripMicros).as("negative: no sample").isEqualTo(PeerPath.NO_SAMPLE);
        assertThat(first.errorCount).as("but the reply still counts").isZero();

        paths.onReply(peer, first, NOW_MILLIS, NOW_MILLIS);
        assertThat(first.smoothedRoundTripMicros).isZero();
        paths.onReply(peer, first, NOW_MILLIS - 16, NOW_MILLIS);
        assertThat(first.smoothedRoundTripMicros).isEqualTo(16_000 / 8);
        assertThat(peer.paths[1].smoothedRoundTripMicros).as("the other path").isEqualTo(PeerPath.NO_SAMPLE);
    }
}
