package io.reliablemsg.spring;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.List;

/**
 * A W3C {@code traceparent} propagator for micrometer-tracing's {@code SimpleTracer}, standing in for the one a
 * tracing bridge (Brave, OpenTelemetry) brings: injects {@code 00-<trace id>-<span id>-<flags>} and extracts a
 * parent from it. SimpleTracer's ids are 64-bit, so the trace id is written padded to 128 bits, as Brave does.
 */
final class W3cTestPropagator implements Propagator {
    private static final String HIGH_ZEROS = "0000000000000000";
    private final Tracer tracer;

    W3cTestPropagator(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public List<String> fields() {
        return List.of("traceparent");
    }

    @Override
    public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
        String traceId = context.traceId().length() == 16 ? HIGH_ZEROS + context.traceId() : context.traceId();
        setter.set(carrier, "traceparent", "00-" + traceId + "-" + context.spanId() + "-"
                + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00"));
    }

    @Override
    public <C> Span.Builder extract(C carrier, Getter<C> getter) {
        String traceparent = getter.get(carrier, "traceparent");
        if (traceparent == null || traceparent.length() != 55) {
            return tracer.spanBuilder();
        }
        String traceId = traceparent.substring(3, 35);
        TraceContext parent = tracer.traceContextBuilder()
                .traceId(traceId.startsWith(HIGH_ZEROS) ? traceId.substring(16) : traceId)
                .spanId(traceparent.substring(36, 52)).sampled(traceparent.endsWith("01")).build();
        return tracer.spanBuilder().setParent(parent);
    }
}
