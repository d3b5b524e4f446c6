package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The W3C trace context value: traceparent and tracestate read and written as the W3C recommendation has them. */
class TraceContextTest {
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void readsAndWritesTheW3cExample() {
        TraceContext context = TraceContext.parse(TRACEPARENT, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(context).isNotNull();
        assertThat(context.traceIdHigh()).isEqualTo(0x0af7651916cd43ddL);
        assertThat(context.traceIdLow()).isEqualTo(0x8448eb211c80319cL);
        assertThat(context.parentSpanId()).isEqualTo(0xb7ad6b7169203331L);
        assertThat(context.sampled()).isTrue();
        assertThat(context.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(context.spanId()).isEqualTo("b7ad6b7169203331");
        assertThat(context.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(context.traceState()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(context).isEqualTo(TraceContext.of(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L,
                1, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")).hasSameHashCodeAs(TraceContext.parse(TRACEPARENT,
                "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
    }

    @Test
    void writesLeadingZerosAndUnsampledFlags() {
        TraceContext context = TraceContext.of(0, 1, 2, 0, null);
        assertThat(context.traceparent()).isEqualTo("00-00000000000000000000000000000001-0000000000000002-00");
        assertThat(context.sampled()).isFalse();
        assertThat(context.traceState()).isEmpty();
        assertThat(TraceContext.parse(context.traceparent(), "")).isEqualTo(context);
    }

    @Test
    void aLaterVersionIsReadByItsFirstFieldsAndBadValuesAreNull() {
        assertThat(TraceContext.parse("cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-comes-next", null))
                .isEqualTo(TraceContext.parse(TRACEPARENT, null));
        assertThat(TraceContext.parse(null, null)).isNull();
        assertThat(TraceContext.parse(TRACEPARENT + "-extra", null)).as("version 00 is exactly 55 characters").isNull();
        assertThat(TraceContext.parse("ff" + TRACEPARENT.substring(2), null)).as("version ff").isNull();
        assertThat(TraceContext.parse(TRACEPARENT.toUpperCase(), null)).as("uppercase").isNull();
        assertThat(TraceContext.parse("00-00000000000000000000000000000000-b7ad6b7169203331-01", null)).isNull();
        assertThat(TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", null)).isNull();
        assertThat(TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333g-01", null)).isNull();
        assertThat(TraceContext.parse("00+0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)).isNull();
        assertThat(TraceContext.parse(TRACEPARENT, "x".repeat(513)).traceState()).as("dropped, not failed").isEmpty();
    }

    @Test
    void refusesZeroIdsBadFlagsAndABadTracestate() {
        assertThatIllegalArgumentException().isThrownBy(() -> TraceContext.of(0, 0, 1, 0, null));
        assertThatIllegalArgumentException().isThrownBy(() -> TraceContext.of(1, 0, 0, 0, null));
        assertThatIllegalArgumentException().isThrownBy(() -> TraceContext.of(1, 0, 1, 256, null));
        assertThatIllegalArgumentException().isThrownBy(() -> TraceContext.of(1, 0, 1, 0, "x".repeat(513)));
        assertThatIllegalArgumentException().isThrownBy(() -> TraceContext.of(1, 0, 1, 0, "k=\u00e9"));
        assertThat(TraceContext.of(1, 0, 1, 0, "x".repeat(512)).traceStateLength()).isEqualTo(512);
    }
}
