package io.reliablemsg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of docs/ARCHITECTURE.md, docs/THREADING.md and the module's charter, checked on the compiled
 * classes: the core depends on the JDK only; protocol classes read no clock and start no thread; the
 * two data paths (send -> chain -> outbound -> transport, transport -> admission -> receiver ->
 * delivery) stay apart, each role reaching the next only through its narrow interface.
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.reliablemsg");
    private static final String INTERNAL = "io.reliablemsg.internal.";

    private static String[] internal(String... simpleNames) {
        String[] names = new String[simpleNames.length];
        for (int i = 0; i < simpleNames.length; i++) {
            names[i] = INTERNAL + simpleNames[i];
        }
        return names;
    }

    @Test
    void coreImportsSomething() {
        assertThat(CORE.size()).isGreaterThan(40);
        assertThat(CORE.contain(INTERNAL + "Sender")).isTrue();
    }

    @Test
    void coreDependsOnTheJdkOnly() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("io.reliablemsg..", "java..", "javax..")
                .check(CORE);
    }

    @Test
    void protocolClassesNeitherReadAClockNorStartThreads() {
        noClasses().that().resideInAnyPackage("io.reliablemsg.wire..", "io.reliablemsg.chain..",
                        "io.reliablemsg.receive..")
                .or().haveFullyQualifiedName(INTERNAL + "Engine").or().haveFullyQualifiedName(INTERNAL + "Admission")
                .or().haveFullyQualifiedName(INTERNAL + "Sender").or().haveFullyQualifiedName(INTERNAL + "Receiver")
                .or().haveFullyQualifiedName(INTERNAL + "Liveness").or().haveFullyQualifiedName(INTERNAL + "Outbound")
                .or().haveFullyQualifiedName(INTERNAL + "Capabilities")
                .or().haveFullyQualifiedName(INTERNAL + "Requests").or().haveFullyQualifiedName(INTERNAL + "Responder")
                .or().haveFullyQualifiedName(INTERNAL + "ReplyCache")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.reliablemsg.time.Clock")
                .check(CORE);
    }

    @Test
    void theReceiverSideNeverTouchesTheRetransmitChainOrTheSenderSide() {
        noClasses().that().haveFullyQualifiedName(INTERNAL + "Receiver")
                .or().haveFullyQualifiedName(INTERNAL + "PeerReceiveState")
                .or().haveFullyQualifiedName(INTERNAL + "Responder").or().haveFullyQualifiedName(INTERNAL + "ReplyCache")
                .or().haveFullyQualifiedName(INTERNAL + "Handling")
                .should().dependOnClassesThat().resideInAPackage("io.reliablemsg.chain..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Sender")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "PeerSendState")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "SendSlots")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Requests")
                .check(CORE);
    }

    @Test
    void theSenderSideNeverTouchesTheDuplicateWindowsOrTheReceiverSide() {
        noClasses().that().haveFullyQualifiedName(INTERNAL + "Sender")
                .or().haveFullyQualifiedName(INTERNAL + "PeerSendState")
                .or().haveFullyQualifiedName(INTERNAL + "Requests")
                .should().dependOnClassesThat().resideInAPackage("io.reliablemsg.receive..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Receiver")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "PeerReceiveState")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Delivery")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Responder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "ReplyCache")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "HandledDelivery")
                .check(CORE);
    }

    @Test
    void onlyTheOutboundWritesDatagramsAndOnlyAdmissionReadsThem() {
        ArchRule writers = noClasses().that().resideInAPackage("io.reliablemsg.internal")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "Outbound")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "PeerOutbox")
                .should().callMethodWhere(DescribedPredicate.describe(
                        "a transport's send or a datagram writer's method",
                        call -> call.getTargetOwner().isAssignableTo("io.reliablemsg.transport.Transport")
                                && call.getName().equals("send")
                                || call.getTargetOwner().getFullName().equals("io.reliablemsg.wire.DatagramWriter")));
        writers.check(CORE);
        noClasses().that().resideInAPackage("io.reliablemsg.internal")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "Admission")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.reliablemsg.wire.DatagramReader")
                .check(CORE);
    }

    @Test
    void protocolRolesMeetThroughNarrowInterfacesNotEachOther() {
        // Sender, Receiver, Liveness, Capabilities and Outbound never name one another: they meet through
        // DataOut, AckOut, ProbeOut, CapabilitiesOut, PeerHealth, Delivery and SendOutcomes. Admission (the router) and Engine
        // (the assembly) are the only classes that know the roles.
        String[] roles = internal("Sender", "Receiver", "Liveness", "Outbound", "Capabilities");
        for (String role : roles) {
            for (String other : roles) {
                if (!role.equals(other)) {
                    noClasses().that().haveFullyQualifiedName(role).should().dependOnClassesThat()
                            .haveFullyQualifiedName(other).check(CORE);
                }
            }
            noClasses().that().haveFullyQualifiedName(role).should().dependOnClassesThat()
                    .haveFullyQualifiedName(INTERNAL + "CallbackDispatcher")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Admission")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Peer")
                    .check(CORE);
        }
        classes().that().haveFullyQualifiedName(INTERNAL + "Sender").or().haveFullyQualifiedName(INTERNAL + "Receiver")
                .or().haveFullyQualifiedName(INTERNAL + "Liveness").or().haveFullyQualifiedName(INTERNAL + "Admission")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage("io.reliablemsg.transport..")
                .check(CORE);
    }

    @Test
    void requestReplyPartsMeetTheRolesThroughNarrowInterfaces() {
        // Requests is the Sender's part, Responder the Receiver's: each reaches the rest of the engine only
        // through PeerFeatures, ReplyOutcomes (requester) and AckOut, ReplyOut, HandledDelivery (responder).
        for (String part : internal("Requests", "Responder", "ReplyCache")) {
            noClasses().that().haveFullyQualifiedName(part).should().dependOnClassesThat().haveFullyQualifiedName(
                            INTERNAL + "Capabilities")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Outbound")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Liveness")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "CallbackDispatcher")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "HandlerRunner")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "ReplyDispatch")
                    .orShould().dependOnClassesThat().haveFullyQualifiedName(INTERNAL + "Admission")
                    .check(CORE);
        }
    }

    @Test
    void onlyTheCallbackSideRunsBusinessHandlers() {
        // the protocol hands work to handlers through Delivery and HandledDelivery, and never calls them itself
        noClasses().that().resideInAPackage("io.reliablemsg.internal")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "CallbackDispatcher")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "HandlerRunner")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "MessengerRuntime")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "MessengerRuntime$Parts")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.reliablemsg.InboundHandler")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.reliablemsg.RequestHandler")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.reliablemsg.AsyncRequestHandler")
                .check(CORE);
    }

    @Test
    void everyInternalClassStaysWellUnderTwoHundredAndFiftyLines() throws IOException {
        Path internal = Path.of("src/main/java/io/reliablemsg/internal");
        try (Stream<Path> sources = Files.list(internal)) {
            List<Path> files = sources.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(files).hasSizeGreaterThan(10);
            for (Path file : files) {
                assertThat(Files.readAllLines(file)).as("lines of %s", file.getFileName()).hasSizeLessThan(250);
            }
        }
    }

    @Test
    void machineryOfTheInternalPackageIsNotPublicUnlessTheApiNeedsIt() {
        // Public only what the root package (or a test driving the loop) must reach.
        classes().that().resideInAPackage("io.reliablemsg.internal")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "Engine")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "MessengerLoop")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "MessengerRuntime")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "MessengerRuntime$Parts")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "SendSlots")
                .and().doNotHaveFullyQualifiedName(INTERNAL + "SendSlots$Account") // a send reserves on its peer's
                .and().doNotHaveFullyQualifiedName(INTERNAL + "SendFutures") // ReliableMessenger.sendAsync needs it
                .should().notHaveModifier(JavaModifier.PUBLIC)
                .check(CORE);
    }
}
