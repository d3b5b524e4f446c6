package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.DecodeError;
import io.reliablemsg.wire.FrameAuthenticator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Wireshark dissector {@code tools/wireshark/reliable-msg.lua}, run by tshark: on the loopback
 * traffic of two real messengers, one of them dropping 30% of its datagrams, captured by dumpcap
 * (needs root, as CI runs); and on handcrafted datagrams that readers drop or partly skip. Needs the
 * Debian package {@code tshark} (which {@code .ci/run} installs); fetches nothing. Captures and
 * their text dumps stay in {@code target/wireshark-it/}.
 */
class WiresharkDissectorIT {
    private static final Path OUT = Path.of(System.getProperty("sample.target", "target"), "wireshark-it");
    private static final int MESSAGES = 200;
    private static final int BATCH = 20;
    private static final int SENDER_ID = 1;
    private static final int RECEIVER_ID = 2;
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> LIVE_FIELDS = List.of("frame.number", "udp.srcport",
            "reliable_msg.client_id", "reliable_msg.incarnation", "reliable_msg.frame_count",
            "reliable_msg.frame.type", "reliable_msg.reader_outcome",
            "reliable_msg.data.msg_id", "reliable_msg.data.transmissions", "reliable_msg.data.payload_length",
            "reliable_msg.data.send_time", "reliable_msg.data.send_time_abs", "reliable_msg.data.payload",
            "reliable_msg.ack.msg_id", "reliable_msg.ack.transmissions", "reliable_msg.ack.echoed_send_time",
            "reliable_msg.ack.origin_client_id", "reliable_msg.ack.origin_incarnation",
            "reliable_msg.capabilities.revision", "reliable_msg.capabilities.features",
            "reliable_msg.capabilities.answer_requested", "_ws.expert.message");

    @BeforeAll
    static void requireTshark() {
        Tshark.require();
    }

    /** One DATA copy seen on the wire: message id, transmission count, send time. */
    private record Copy(long msgId, int transmissions, long sendTimeMillis) {
    }

    @Test
    void decodesEveryMessageAckAndCapabilitiesOfTwoNodesOnALossyLinkAndFlagsEachRetransmittedCopy() throws Exception {
        int senderPort = FreeUdpPort.find();
        int receiverPort = FreeUdpPort.find();
        Path pcap = OUT.resolve("two-messengers.pcapng");
        Map<Long, byte[]> sent = new LinkedHashMap<>();
        Map<Long, byte[]> delivered = new ConcurrentHashMap<>();
        long senderIncarnation;
        long receiverIncarnation;
        String captureSummary;
        int probePort;
        try (Tshark.Capture capture = Tshark.captureLoopback(pcap,
                "udp port " + senderPort + " or udp port " + receiverPort, Duration.ofSeconds(120), 100_000)) {
            // "Capturing on" may come before the filter takes effect: send throwaway datagrams to the
            // receiver's port (nothing listens yet) until dumpcap counts one, so no message is sent
            // before the capture sees traffic; they come from another port and are left out below
            DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            probePort = probe.getLocalPort();
            DatagramPacket ping = new DatagramPacket(new byte[] {0}, 1, InetAddress.getLoopbackAddress(),
                    receiverPort);
            await("dumpcap saw traffic").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        probe.send(ping);
                        return capture.packetsCounted() >= 1;
                    });
            try (ReliableMessenger receiver = ReliableMessenger.builder(config(RECEIVER_ID, receiverPort, "a", senderPort))
                    .inboundHandler(m -> delivered.put(m.msgId(), m.payload())).build();
                 ReliableMessenger sender = ReliableMessenger.builder(config(SENDER_ID, senderPort, "b", receiverPort))
                         .transportDecorator(udp -> {
                             FaultInjectingTransport lossy = new FaultInjectingTransport(udp, Clock.SYSTEM, 17);
                             lossy.setLossRate(0.3);
                             return lossy;
                         }).build()) {
                receiver.start();
                sender.start();
                senderIncarnation = sender.incarnation();
                receiverIncarnation = receiver.incarnation();
                // in batches, each acked before the next: a burst of 200 sends in one go can overrun
                // the capture's kernel buffer on a loaded machine, and then a message is on the wire
                // but not in the capture
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] payload = payload(i);
                    long msgId = sender.trySend("b", payload, null);
                    assertThat(msgId).as("message %d accepted", i).isPositive();
                    sent.put(msgId, payload);
                    if ((i + 1) % BATCH == 0) {
                        int acked = i + 1;
                        await("batch up to message " + acked + " acked").atMost(Duration.ofSeconds(30))
                                .until(() -> sender.stats().acked() == acked);
                    }
                }
                await("every message acked and CAPABILITIES heard both ways").atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> {
                            assertThat(sender.stats().acked()).isEqualTo(MESSAGES);
                            assertThat(sender.stats().pending()).isZero();
                            assertThat(sender.stats("b").capabilitiesReceived()).isPositive();
                            assertThat(receiver.stats("a").capabilitiesReceived()).isPositive();
                        });
                assertThat(sender.stats().retransmitted()).as("30% loss made retransmissions").isPositive();
                assertThat(delivered.keySet()).isEqualTo(sent.keySet());
            }
            // the same at the end: once dumpcap counts a probe sent after the last ack, it has the datagrams
            // before it too (stopping it at once lost the last batch's datagrams on a busy machine)
            int countedAtEnd = capture.packetsCounted();
            await("dumpcap caught up").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        probe.send(ping);
                        return capture.packetsCounted() > countedAtEnd;
                    });
            probe.close();
            capture.stop();
            captureSummary = capture.output();
        }

        List<Map<String, List<String>>> packets = Tshark.fields(pcap, null, List.of(), LIVE_FIELDS);
        Tshark.writeDissection(pcap, OUT.resolve("two-messengers.txt"));
        assertThat(packets).as("captured datagrams").hasSizeGreaterThan(MESSAGES / 10);

        Set<Copy> dataCopies = new HashSet<>();
        Map<Long, Set<Integer>> payloadLengths = new HashMap<>();
        List<Copy> acks = new ArrayList<>();
        int retransmittedCopies = 0;
        int capabilitiesFrames = 0;
        Set<Integer> capabilitiesSenders = new HashSet<>();
        int probes = 0;
        for (Map<String, List<String>> packet : packets) {
            String number = packet.get("frame.number").get(0);
            if (Integer.parseInt(packet.get("udp.srcport").get(0)) == probePort) {
                continue; // the throwaway datagrams that showed the capture was live
            }
            assertThat(packet.get("reliable_msg.client_id")).as("packet %s found by the heuristic", number).hasSize(1);
            assertThat(packet.get("reliable_msg.reader_outcome")).as("packet %s", number).containsExactly("accepted");
            int source = Integer.parseInt(packet.get("udp.srcport").get(0));
            int clientId = Integer.parseInt(packet.get("reliable_msg.client_id").get(0));
            long incarnation = Long.parseUnsignedLong(packet.get("reliable_msg.incarnation").get(0).substring(2), 16);
            assertThat(clientId).isEqualTo(source == senderPort ? SENDER_ID : RECEIVER_ID);
            assertThat(incarnation).isEqualTo(source == senderPort ? senderIncarnation : receiverIncarnation);
            List<String> types = packet.get("reliable_msg.frame.type");
            assertThat(types).hasSize(Integer.parseInt(packet.get("reliable_msg.frame_count").get(0)));

            List<String> ids = packet.get("reliable_msg.data.msg_id");
            int flaggedHere = 0;
            for (int i = 0; i < ids.size(); i++) {
                long msgId = Long.parseLong(ids.get(i));
                int transmissions = Integer.parseInt(packet.get("reliable_msg.data.transmissions").get(i));
                long sendTime = Long.parseLong(packet.get("reliable_msg.data.send_time").get(i));
                int length = Integer.parseInt(packet.get("reliable_msg.data.payload_length").get(i));
                assertThat(source).isEqualTo(senderPort);
                assertThat(sent).as("DATA in packet %s", number).containsKey(msgId);
                assertThat(length).as("payload length of message %d", msgId).isEqualTo(sent.get(msgId).length);
                assertThat(HEX.parseHex(packet.get("reliable_msg.data.payload").get(i))).isEqualTo(sent.get(msgId));
                assertThat(packet.get("reliable_msg.data.send_time_abs").get(i)).as("send time as a UTC time")
                        .contains(utcTimeOfDay(sendTime)).endsWith("UTC");
                dataCopies.add(new Copy(msgId, transmissions, sendTime));
                payloadLengths.computeIfAbsent(msgId, id -> new HashSet<>()).add(length);
                if (transmissions > 1) {
                    flaggedHere++;
                    assertThat(packet.get("_ws.expert.message")).as("packet %s", number)
                            .contains("Retransmitted copy of message " + msgId + ": transmission " + transmissions);
                }
            }
            retransmittedCopies += flaggedHere;
            assertThat(packet.get("_ws.expert.message"))
                    .as("one retransmission note per copy with transmissions > 1, and no other expert info, in packet %s",
                            number)
                    .hasSize(flaggedHere).allSatisfy(message -> assertThat(message).startsWith("Retransmitted copy"));

            List<String> ackIds = packet.get("reliable_msg.ack.msg_id");
            for (int i = 0; i < ackIds.size(); i++) {
                assertThat(source).isEqualTo(receiverPort);
                assertThat(packet.get("reliable_msg.ack.origin_client_id").get(i)).isEqualTo(String.valueOf(SENDER_ID));
                assertThat(Long.parseUnsignedLong(packet.get("reliable_msg.ack.origin_incarnation").get(i).substring(2), 16))
                        .isEqualTo(senderIncarnation);
                acks.add(new Copy(Long.parseLong(ackIds.get(i)),
                        Integer.parseInt(packet.get("reliable_msg.ack.transmissions").get(i)),
                        Long.parseLong(packet.get("reliable_msg.ack.echoed_send_time").get(i))));
            }

            if (types.contains("0x40")) {
                capabilitiesFrames++;
                assertThat(types).as("CAPABILITIES travels alone (packet %s)", number).containsExactly("0x40");
                assertThat(packet.get("reliable_msg.capabilities.revision")).containsExactly("5");
                assertThat(packet.get("reliable_msg.capabilities.features")).containsExactly("0x000000000000000f");
                capabilitiesSenders.add(clientId);
                if (isTrue(packet.get("reliable_msg.capabilities.answer_requested").get(0))) {
                    probes++;
                }
            }
        }
        assertThat(payloadLengths.keySet()).as("every message on the wire (dumpcap: %s)", captureSummary)
                .isEqualTo(sent.keySet());
        assertThat(retransmittedCopies).as("retransmitted copies flagged").isPositive();
        assertThat(acks).as("acks").isNotEmpty();
        assertThat(dataCopies).as("every ack names a DATA copy on the wire (id, transmission, echoed send time)")
                .containsAll(acks);
        assertThat(acks.stream().map(Copy::msgId).toList()).as("every message acked on the wire")
                .containsAll(sent.keySet());
        assertThat(capabilitiesFrames).isPositive();
        // each node heard the other's CAPABILITIES, so both were on the wire; which of them probed
        // first (and whether a's probes were all lost) depends on timing, but the first was a probe
        assertThat(capabilitiesSenders).as("CAPABILITIES from both nodes").containsExactlyInAnyOrder(SENDER_ID, RECEIVER_ID);
        assertThat(probes).as("CAPABILITIES probes (answer requested)").isPositive();
    }

    @Test
    void showsWhatReadersDoWithMalformedDatagramsAndUnknownFrameTypes() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        List<Handcrafted> cases = List.of(
                new Handcrafted("DATA and ACK", header(2, 0).data(5, 1, "hello").ack(3), "accepted", null),
                new Handcrafted("bytes after the last frame", header(1, 0).data(8, 1, "x").raw(0, 0),
                        "dropped: TRAILING_BYTES", "TRAILING_BYTES: 2 bytes after the last frame"),
                new Handcrafted("payload length past the end", header(1, 0).dataClaiming(9, 1, "abc", 10),
                        "dropped: TRUNCATED", "TRUNCATED: payload of 10 bytes runs past the end (3 left)"),
                new Handcrafted("bad magic", header(1, 0).magic(0x5251).data(1, 1, "x"),
                        "dropped: BAD_MAGIC", "BAD_MAGIC: magic 0x5251 is not 0x524d"),
                new Handcrafted("header version 2", header(1, 0).version(2).data(1, 1, "x"),
                        "dropped: UNSUPPORTED_VERSION", "UNSUPPORTED_VERSION: header version 2"),
                new Handcrafted("zero frames", header(0, 0), "dropped: BAD_FIELD", "BAD_FIELD: zero frames"),
                new Handcrafted("unknown optional type, then DATA",
                        header(2, 0).optional(0x46, 0, "abc").data(7, 1, "after"), "accepted",
                        "Unknown optional frame type 0x46: skipped by length (3 body bytes), the rest is processed"),
                new Handcrafted("unknown core type", header(1, 0).raw(0x05, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                        "dropped: UNKNOWN_FRAME_TYPE", "Unknown core frame type 0x05: datagram dropped by readers"),
                new Handcrafted("reserved type", header(1, 0).raw(0x80, 1, 0, 0, 0, 0, 0, 0),
                        "dropped: UNKNOWN_FRAME_TYPE", "Unknown reserved frame type 0x80: datagram dropped by readers"),
                new Handcrafted("CAPABILITIES shorter than its fields", header(1, 0).optional(0x40, 1, "12345678"),
                        "dropped: BAD_FIELD", "BAD_FIELD: CAPABILITIES body of 8 bytes, fewer than its 12"),
                new Handcrafted("PING", header(1, 0).ping(1_733_130_000_123L), "accepted", null),
                new Handcrafted("PONG", header(1, 0).pong(1_733_130_000_123L, 1_733_130_000_150L), "accepted", null),
                new Handcrafted("signed by the core", signedByTheCore(key), "accepted", null),
                new Handcrafted("REQUEST, second copy", header(1, 0).request(21, 2, "question"), "accepted",
                        "Retransmitted copy of request 21: transmission 2"),
                new Handcrafted("REPLY and a REPLY without reply", header(2, 0).reply(21, false, "answer")
                        .reply(22, true, ""), "accepted", null),
                new Handcrafted("REQUEST shorter than its fields", header(1, 0).optional(0x41, 0, "12345678"),
                        "dropped: BAD_FIELD", "BAD_FIELD: REQUEST body of 8 bytes, fewer than its 20"),
                new Handcrafted("FRAGMENT, second copy, and a FRAGMENT_ACK", header(2, 0)
                        .fragment(31, 2, 3000, 1, 3, 1380, "piece").fragmentAck(30, 2), "accepted",
                        "Retransmitted fragment of message 31: transmission 2"),
                new Handcrafted("FRAGMENT index not below its count", header(1, 0)
                        .fragment(32, 1, 3000, 3, 3, 0, "x"), "dropped: BAD_FIELD", "BAD_FIELD: fragment 3 of 3"),
                // CAPABILITIES as the earlier releases write them (revision 1 writes none: its datagrams are
                // the DATA/ACK/PING/PONG cases above), and one of a later revision
                new Handcrafted("CAPABILITIES probe of a revision 2 node", header(1, 0).capabilities(1, 2, 0x1, 0),
                        "accepted", null),
                new Handcrafted("CAPABILITIES of a revision 3 node", header(1, 0).capabilities(0, 3, 0x3, 0),
                        "accepted", null),
                new Handcrafted("CAPABILITIES of a later revision: an unknown bit, a longer body", header(1, 0)
                        .capabilities(0, 9, 0x207L | 1L << 40, 4), "accepted", null),
                new Handcrafted("TRACE_CONTEXT, then its DATA", header(2, 0).traceContext(41, "rojo=00f067aa0ba902b7")
                        .data(41, 1, "traced"), "accepted", null),
                new Handcrafted("TRACE_CONTEXT whose tracestate runs past its body", header(1, 0)
                        .traceContextClaiming(42, "ab", 3), "dropped: BAD_FIELD", "BAD_FIELD: tracestate of 3 bytes"));

        Path pcap = OUT.resolve("handcrafted.pcap");
        Tshark.writePcap(cases.stream().map(Handcrafted::bytes).toList(), 40000, 40001, pcap);
        Tshark.writeDissection(pcap, OUT.resolve("handcrafted.txt"), "reliable_msg.udp_ports:40001");
        List<String> fields = List.of("frame.number", "reliable_msg.reader_outcome", "_ws.expert.message",
                "reliable_msg.data.msg_id", "reliable_msg.ping.send_time_abs", "reliable_msg.pong.pong_time",
                "reliable_msg.auth.key_id", "reliable_msg.auth.mac", "reliable_msg.request.msg_id",
                "reliable_msg.request.payload", "reliable_msg.reply.msg_id", "reliable_msg.reply.no_reply",
                "reliable_msg.reply.bytes", "reliable_msg.fragment.msg_id", "reliable_msg.fragment.index",
                "reliable_msg.fragment.count", "reliable_msg.fragment.data", "reliable_msg.fragment_ack.msg_id",
                "reliable_msg.fragment_ack.index", "reliable_msg.capabilities.revision",
                "reliable_msg.capabilities.answer_requested", "reliable_msg.capabilities.feature",
                "reliable_msg.capabilities.extra", "reliable_msg.trace_context.msg_id",
                "reliable_msg.trace_context.traceparent", "reliable_msg.trace_context.tracestate");
        List<Map<String, List<String>>> byPort = Tshark.fields(pcap, null, List.of("reliable_msg.udp_ports:40001"), fields);
        assertThat(byPort).hasSameSizeAs(cases);
        for (int i = 0; i < cases.size(); i++) {
            Handcrafted c = cases.get(i);
            Map<String, List<String>> packet = byPort.get(i);
            assertThat(c.expectedOutcome()).as("%s: the core's DatagramReader agrees", c.name())
                    .isEqualTo(coreOutcome(c.bytes()));
            assertThat(packet.get("reliable_msg.reader_outcome")).as(c.name()).containsExactly(c.expectedOutcome());
            if (c.expectedExpert() == null) {
                assertThat(packet.get("_ws.expert.message")).as(c.name()).isEmpty();
            } else {
                assertThat(packet.get("_ws.expert.message")).as(c.name()).anySatisfy(message ->
                        assertThat(message).startsWith(c.expectedExpert()));
            }
        }
        assertThat(byPort.get(6).get("reliable_msg.data.msg_id")).as("DATA after a skipped frame").containsExactly("7");
        assertThat(byPort.get(10).get("reliable_msg.ping.send_time_abs")).singleElement().asString()
                .contains("09:00:00.123");
        assertThat(byPort.get(11).get("reliable_msg.pong.pong_time")).containsExactly("1733130000150");
        byte[] signed = cases.get(12).bytes();
        assertThat(byPort.get(12).get("reliable_msg.auth.key_id")).containsExactly("7");
        assertThat(byPort.get(12).get("reliable_msg.auth.mac")).containsExactly(
                HEX.formatHex(signed, signed.length - FrameAuthenticator.MAC_LENGTH, signed.length));

        assertThat(byPort.get(13).get("reliable_msg.request.msg_id")).containsExactly("21");
        assertThat(byPort.get(13).get("reliable_msg.request.payload")).containsExactly(
                HEX.formatHex("question".getBytes(StandardCharsets.US_ASCII)));
        assertThat(byPort.get(14).get("reliable_msg.reply.msg_id")).containsExactly("21", "22");
        assertThat(byPort.get(14).get("reliable_msg.reply.no_reply").stream().map(WiresharkDissectorIT::isTrue))
                .containsExactly(false, true);
        assertThat(byPort.get(14).get("reliable_msg.reply.bytes")).containsExactly(
                HEX.formatHex("answer".getBytes(StandardCharsets.US_ASCII)));

        assertThat(byPort.get(16).get("reliable_msg.fragment.msg_id")).containsExactly("31");
        assertThat(byPort.get(16).get("reliable_msg.fragment.index")).containsExactly("1");
        assertThat(byPort.get(16).get("reliable_msg.fragment.count")).containsExactly("3");
        assertThat(byPort.get(16).get("reliable_msg.fragment.data")).containsExactly(
                HEX.formatHex("piece".getBytes(StandardCharsets.US_ASCII)));
        assertThat(byPort.get(16).get("reliable_msg.fragment_ack.msg_id")).containsExactly("30");
        assertThat(byPort.get(16).get("reliable_msg.fragment_ack.index")).containsExactly("2");

        assertThat(byPort.get(18).get("reliable_msg.capabilities.revision")).containsExactly("2");
        assertThat(byPort.get(18).get("reliable_msg.capabilities.answer_requested").stream()
                .map(WiresharkDissectorIT::isTrue)).containsExactly(true);
        assertThat(byPort.get(18).get("reliable_msg.capabilities.feature")).singleElement().asString()
                .startsWith("bit 0: optional frames");
        assertThat(byPort.get(19).get("reliable_msg.capabilities.revision")).containsExactly("3");
        assertThat(byPort.get(19).get("reliable_msg.capabilities.answer_requested").stream()
                .map(WiresharkDissectorIT::isTrue)).containsExactly(false);
        assertThat(byPort.get(19).get("reliable_msg.capabilities.feature")).satisfiesExactly(
                bit0 -> assertThat(bit0).startsWith("bit 0: optional frames"),
                bit1 -> assertThat(bit1).startsWith("bit 1: request/reply"));
        assertThat(byPort.get(20).get("reliable_msg.capabilities.revision")).containsExactly("9");
        assertThat(byPort.get(20).get("reliable_msg.capabilities.feature")).satisfiesExactly(
                bit0 -> assertThat(bit0).startsWith("bit 0: optional frames"),
                bit1 -> assertThat(bit1).startsWith("bit 1: request/reply"),
                bit2 -> assertThat(bit2).startsWith("bit 2: fragments"),
                bit9 -> assertThat(bit9).isEqualTo("bit 9: unknown (ignored by this revision)"),
                high -> assertThat(high).isEqualTo("bits 32-63: unknown (ignored by this revision)"));
        assertThat(byPort.get(20).get("reliable_msg.capabilities.extra")).containsExactly("eeeeeeee");
        assertThat(byPort.get(21).get("reliable_msg.trace_context.msg_id")).containsExactly("41");
        assertThat(byPort.get(21).get("reliable_msg.trace_context.traceparent"))
                .containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(byPort.get(21).get("reliable_msg.trace_context.tracestate")).containsExactly("rojo=00f067aa0ba902b7");
        assertThat(byPort.get(21).get("reliable_msg.data.msg_id")).containsExactly("41");

        List<Map<String, List<String>>> byHeuristic = Tshark.fields(pcap, "reliable_msg", List.of(),
                List.of("frame.number"));
        assertThat(byHeuristic).as("the heuristic claims all but the bad magic and the other version")
                .hasSize(cases.size() - 2);
        assertThat(byHeuristic.stream().map(row -> row.get("frame.number").get(0)))
                .doesNotContain("4", "5");
    }

    /**
     * A datagram, what the dissector says a reader does with it, and the beginning of an expert
     * message it must show (none at all when null).
     */
    private record Handcrafted(String name, byte[] bytes, String expectedOutcome, String expectedExpert) {
        Handcrafted(String name, RawDatagram datagram, String expectedOutcome, String expectedExpert) {
            this(name, datagram.bytes(), expectedOutcome, expectedExpert);
        }
    }

    /** What the core's reader does with {@code datagram}, in the dissector's words. */
    private static String coreOutcome(byte[] datagram) {
        ByteBuffer buffer = ByteBuffer.wrap(datagram);
        FrameAuthenticator.stripUnverified(buffer);
        DecodeError error = DatagramReader.validate(buffer);
        return error == null ? "accepted" : "dropped: " + error.name();
    }

    private static byte[] signedByTheCore(byte[] key) {
        DatagramWriter writer = new DatagramWriter(1472);
        writer.begin(SENDER_ID, 0x1122334455667788L, 0);
        writer.tryAppendData(11, 1_733_130_000_123L, 1, "signed".getBytes(StandardCharsets.US_ASCII),
                FrameAuthenticator.TRAILER_LENGTH);
        ByteBuffer datagram = writer.finish();
        new FrameAuthenticator(Map.of(7, key), 7).sign(datagram);
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        return bytes;
    }

    private static MessengerConfig config(int clientId, int port, String peer, int peerPort) {
        return MessengerConfig.builder().clientId(clientId).bindAddress("127.0.0.1").port(port)
                .peer(peer, "127.0.0.1", peerPort).interval(Duration.ofMillis(100)).maxRetries(30)
                .closeTimeout(Duration.ofSeconds(1)).build();
    }

    /** Message i: its index, then filler, 1 to 300 bytes long so that lengths differ. */
    private static byte[] payload(int i) {
        String text = "m" + i + "-";
        StringBuilder payload = new StringBuilder(text);
        int length = 1 + (i * 37) % 300;
        while (payload.length() < length) {
            payload.append((char) ('a' + payload.length() % 26));
        }
        return payload.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    private static String utcTimeOfDay(long epochMillis) {
        return DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(epochMillis));
    }

    private static boolean isTrue(String tsharkBoolean) {
        return tsharkBoolean.equals("1") || tsharkBoolean.equalsIgnoreCase("true");
    }

    private static RawDatagram header(int frames, int flags) {
        return new RawDatagram(frames, flags);
    }

    /**
     * Writes datagrams byte by byte from docs/PROTOCOL.md section 1, independently of the core's
     * writer, so that it can write what the writer never would.
     */
    private static final class RawDatagram {
        private final ByteBuffer buffer = ByteBuffer.allocate(2048);

        RawDatagram(int frames, int flags) {
            buffer.putShort((short) 0x524D).put((byte) 1).put((byte) flags).putInt(SENDER_ID)
                    .putLong(0x1122334455667788L).putShort((short) frames).putShort((short) 0);
        }

        RawDatagram magic(int magic) {
            buffer.putShort(0, (short) magic);
            return this;
        }

        RawDatagram version(int version) {
            buffer.put(2, (byte) version);
            return this;
        }

        RawDatagram data(long msgId, int transmissions, String payload) {
            return dataClaiming(msgId, transmissions, payload, payload.length());
        }

        /** A DATA frame whose payload length field says {@code claimedLength}, followed by {@code payload}. */
        RawDatagram dataClaiming(long msgId, int transmissions, String payload, int claimedLength) {
            buffer.put((byte) 1).put((byte) transmissions).putShort((short) 0).putInt(claimedLength).putLong(msgId)
                    .putLong(1_733_130_000_123L).put(payload.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        RawDatagram ack(long msgId) {
            buffer.put((byte) 2).put((byte) 1).putShort((short) 0).putInt(RECEIVER_ID).putLong(0x99L).putLong(msgId)
                    .putLong(1_733_130_000_123L).putLong(1_733_130_000_150L);
            return this;
        }

        RawDatagram ping(long sendTimeMillis) {
            buffer.put((byte) 3).put((byte) 1).putShort((short) 0).putInt(0).putLong(sendTimeMillis);
            return this;
        }

        RawDatagram pong(long echoedSendTimeMillis, long pongTimeMillis) {
            buffer.put((byte) 4).put((byte) 1).putShort((short) 0).putInt(0).putLong(echoedSendTimeMillis)
                    .putLong(pongTimeMillis);
            return this;
        }

        /** A REQUEST frame (0x41) of message {@code msgId}, copy {@code transmissions}. */
        RawDatagram request(long msgId, int transmissions, String payload) {
            byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
            buffer.put((byte) 0x41).put((byte) 0).putShort((short) (20 + bytes.length)).put((byte) transmissions)
                    .put((byte) 0).putShort((short) 0).putLong(msgId).putLong(1_733_130_000_123L).put(bytes);
            return this;
        }

        /** A REPLY frame (0x42) to message {@code msgId} of {@code SENDER_ID}, flagged "no reply" when asked. */
        RawDatagram reply(long msgId, boolean noReply, String reply) {
            byte[] bytes = reply.getBytes(StandardCharsets.US_ASCII);
            buffer.put((byte) 0x42).put((byte) (noReply ? 1 : 0)).putShort((short) (36 + bytes.length))
                    .putInt(SENDER_ID).putLong(0x99L).putLong(msgId).putLong(1_733_130_000_123L)
                    .putLong(1_733_130_000_150L).put(bytes);
            return this;
        }

        /** A FRAGMENT frame (0x43): fragment {@code index} of {@code count} of message {@code msgId}. */
        RawDatagram fragment(long msgId, int transmissions, int length, int index, int count, int offset, String data) {
            byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
            buffer.put((byte) 0x43).put((byte) 0).putShort((short) (36 + bytes.length)).put((byte) transmissions)
                    .put((byte) 0).putShort((short) 0).putLong(msgId).putLong(1_733_130_000_123L).putInt(length)
                    .putInt(index).putInt(count).putInt(offset).put(bytes);
            return this;
        }

        /** A FRAGMENT_ACK frame (0x44) of fragment {@code index} of message {@code msgId} of {@code SENDER_ID}. */
        RawDatagram fragmentAck(long msgId, int index) {
            buffer.put((byte) 0x44).put((byte) 0).putShort((short) 40).putInt(SENDER_ID).putLong(0x99L).putLong(msgId)
                    .putLong(1_733_130_000_123L).putLong(1_733_130_000_150L).putInt(index);
            return this;
        }

        /** A TRACE_CONTEXT frame (0x45) for message {@code msgId}: the W3C example's traceparent and {@code state}. */
        RawDatagram traceContext(long msgId, String state) {
            return traceContextClaiming(msgId, state, state.length());
        }

        /** A TRACE_CONTEXT frame whose tracestate length field says {@code claimedLength}. */
        RawDatagram traceContextClaiming(long msgId, String state, int claimedLength) {
            byte[] bytes = state.getBytes(StandardCharsets.US_ASCII);
            buffer.put((byte) 0x45).put((byte) 0).putShort((short) (36 + bytes.length)).putLong(msgId).put((byte) 0)
                    .put((byte) 1).putShort((short) claimedLength).putLong(0x0af7651916cd43ddL)
                    .putLong(0x8448eb211c80319cL).putLong(0xb7ad6b7169203331L).put(bytes);
            return this;
        }

        RawDatagram optional(int type, int flags, String body) {
            buffer.put((byte) type).put((byte) flags).putShort((short) body.length())
                    .put(body.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** A CAPABILITIES frame: {@code flags} (bit 0: answer requested), revision, feature bits, then {@code extra} bytes. */
        RawDatagram capabilities(int flags, int revision, long features, int extra) {
            buffer.put((byte) 0x40).put((byte) flags).putShort((short) (12 + extra)).putShort((short) revision)
                    .putShort((short) 0).putLong(features);
            for (int i = 0; i < extra; i++) {
                buffer.put((byte) 0xEE);
            }
            return this;
        }

        RawDatagram raw(int... bytes) {
            for (int b : bytes) {
                buffer.put((byte) b);
            }
            return this;
        }

        byte[] bytes() {
            byte[] bytes = new byte[buffer.position()];
            buffer.duplicate().flip().get(bytes);
            return bytes;
        }
    }
}
