package io.reliablemsg.sample;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample node beyond the starter's {@code reliable-msg.*}.
 *
 * @param nodeName     name shown on the page and in the progress lines
 * @param traffic      steady stream of generated messages
 * @param demoControls demo-only switches
 * @param peerPages    base URL of each peer's own sample HTTP API, by peer name (optional): the page
 *                     shows the fault the peer injects, read from its {@code /api/stats}
 */
@ConfigurationProperties("sample")
public record SampleProperties(String nodeName, Traffic traffic, DemoControls demoControls,
                               Map<String, URI> peerPages) {

    /** Fills in defaults for what is not set. */
    public SampleProperties {
        nodeName = nodeName == null ? "node" : nodeName;
        traffic = traffic == null ? new Traffic(null, 0) : traffic;
        demoControls = demoControls == null ? new DemoControls(false) : demoControls;
        peerPages = peerPages == null ? Map.of() : Map.copyOf(peerPages);
    }

    /**
     * A steady stream of generated messages.
     *
     * @param peer          peer the generated messages go to; none means no stream
     * @param ratePerSecond messages per second at start-up; 0 sends none until changed
     */
    public record Traffic(String peer, int ratePerSecond) {
    }

    /**
     * Demo-only switches; never set in a real deployment.
     *
     * @param enabled whether {@code /api/faults} (drops datagrams on purpose) and {@code /api/traffic}
     *                exist
     */
    public record DemoControls(boolean enabled) {
    }
}
