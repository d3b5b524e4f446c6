package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The defaults live in the core only ({@code MessengerConfig.DEFAULT_*}); the starter's property
 * descriptions (what IDEs show, generated from the javadoc of {@link ReliableMsgProperties}) and the
 * README's property table write them down for readers. This test keeps the written ones true: it binds
 * every documented default as if a user had set it and checks that the result is exactly the core's
 * default configuration, and it fails when a property lacks a documented default or a README row.
 */
class DocumentedDefaultsTest {
    /** Properties without a default of the core's: required, empty unless set, or a rule rather than a value. */
    private static final Set<String> WITHOUT_CORE_DEFAULT = Set.of("enabled", "client-id", "peers", "peer-client-ids",
            "security.keys", "security.send-key-id", "health.high-water-mark", "discovery.service-ids",
            "discovery.refresh-interval", "observations.enabled");
    /** How a property's javadoc names its default, e.g. {@code Default: 1s, the core's (MessengerConfig.DEFAULT_INTERVAL)}. */
    private static final Pattern DESCRIBED_DEFAULT =
            Pattern.compile("Default: (\\S+), the core's \\(MessengerConfig\\.(DEFAULT_[A-Z_]+)\\)");
    /** A row of the README's property table: {@code | `reliable-msg.name` | default | meaning |}. */
    private static final Pattern README_ROW =
            Pattern.compile("^\\| `reliable-msg\\.([a-z.-]+)(?:\\.<[a-z]+>)?` \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern FIRST_CODE_SPAN = Pattern.compile("`([^`]+)`");

    @Test
    void everyPropertyDescriptionNamesTheCoresDefaultAndItIsTheCoresValue() throws Exception {
        Map<String, String> described = new LinkedHashMap<>();
        for (Map<String, Object> property : PropertyMetadata.properties()) {
            String name = ((String) property.get("name")).substring("reliable-msg.".length());
            String description = (String) property.get("description");
            Matcher matcher = DESCRIBED_DEFAULT.matcher(description);
            if (WITHOUT_CORE_DEFAULT.contains(name)) {
                assertThat(matcher.find()).as(name + " claims a core default: " + description).isFalse();
                continue;
            }
            assertThat(matcher.find()).as(name + " names its default: " + description).isTrue();
            assertThat(MessengerConfig.class.getField(matcher.group(2))).as(name + " names a core constant").isNotNull();
            described.put(name, matcher.group(1));
        }
        assertThat(described).hasSize(32);
        assertIsTheCoresDefault(bound(described), "property descriptions");
    }

    @Test
    void theReadmeTableListsEveryPropertyWithTheCoresDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = README_ROW.matcher(readme);
        while (row.find()) {
            rows.put(row.group(1), row.group(2).trim());
        }
        assertThat(new TreeSet<>(rows.keySet())).as("README rows").isEqualTo(new TreeSet<>(PropertyMetadata.names()));

        Map<String, String> documented = new LinkedHashMap<>();
        rows.forEach((name, defaultCell) -> {
            if (!WITHOUT_CORE_DEFAULT.contains(name)) {
                Matcher code = FIRST_CODE_SPAN.matcher(defaultCell);
                assertThat(code.find()).as(name + " has a default in the README: " + defaultCell).isTrue();
                documented.put(name, code.group(1));
            }
        });
        assertIsTheCoresDefault(bound(documented), "README");
        assertThat(rows.get("enabled")).isEqualTo("`" + new ReliableMsgProperties().isEnabled() + "`");
        assertThat(rows.get("observations.enabled"))
                .isEqualTo("`" + new ReliableMsgProperties().getObservations().isEnabled() + "`");
    }

    @Test
    void theDefaultHighWaterMarkIsWrittenAsTheStartersOwnRule() throws Exception {
        String percent = ReliableMsgProperties.Health.DEFAULT_HIGH_WATER_MARK_PERCENT + "% of";
        assertThat(PropertyMetadata.properties()).filteredOn("name", "reliable-msg.health.high-water-mark").singleElement()
                .satisfies(property -> assertThat((String) property.get("description")).contains(percent));
        assertThat(Files.readString(Path.of("..", "README.md")))
                .contains("| `reliable-msg.health.high-water-mark` | " + percent + " `max-stored-messages` |");
        assertThat(Files.readString(Path.of("..", "docs", "SPRING.md"))).contains("default " + percent);
    }

    @Test
    void theDiscoveryRefreshIntervalIsWrittenAsTheStartersOwnDefault() throws Exception {
        String written = ReliableMsgProperties.Discovery.DEFAULT_REFRESH_INTERVAL.toSeconds() + "s";
        assertThat(new ReliableMsgProperties().getDiscovery().getRefreshInterval())
                .isEqualTo(ReliableMsgProperties.Discovery.DEFAULT_REFRESH_INTERVAL);
        assertThat(PropertyMetadata.properties()).filteredOn("name", "reliable-msg.discovery.refresh-interval")
                .singleElement().satisfies(property -> assertThat((String) property.get("description"))
                        .contains("Default: " + written + ", the starter's"));
        assertThat(Files.readString(Path.of("..", "README.md")))
                .contains("| `reliable-msg.discovery.refresh-interval` | `" + written + "` (the starter's) |");
    }

    /** The configuration a user gets who sets each of {@code values} (and client-id 1) by hand. */
    private static Map<String, Object> bound(Map<String, String> values) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("reliable-msg.client-id", "1");
        values.forEach((name, value) -> source.put("reliable-msg." + name, value));
        ReliableMsgProperties properties = new Binder(new MapConfigurationPropertySource(source))
                .bind(ReliableMsgProperties.PREFIX, ReliableMsgProperties.class).get();
        return MessengerConfigValues.of(properties.toMessengerConfig());
    }

    private static void assertIsTheCoresDefault(Map<String, Object> documented, String where) {
        Map<String, Object> core = MessengerConfigValues.of(MessengerConfig.builder().clientId(1).build());
        assertThat(documented).containsOnlyKeys(core.keySet());
        Map<String, String> differences = new LinkedHashMap<>();
        core.forEach((getter, value) -> {
            if (!Objects.equals(documented.get(getter), value)) {
                differences.put(getter, "documented " + documented.get(getter) + ", core " + value);
            }
        });
        assertThat(differences).as("defaults in the " + where + " that are not the core's").isEmpty();
    }
}
