package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.wire.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium loads node a's page while a streams to b over two networks (as in the demo: network 1
 * direct, network 2 through a relay), sees a's link to b with two paths, starts an outage with the page's
 * button, and sees the pending figure rise and drain back to 0; then sees each node show its own
 * injected fault and its peer's, a's link to b (reachable, this release's protocol revision), and, on a's page
 * opened again and reloaded, the outage's pending peak from the history the node keeps; last, takes network 1
 * down for 12 s with the page's button and sees path 1 failed and path 2 carry the traffic while no message
 * fails, and path 1 take it back after. Screenshots go to {@code target/watch-page-*.png}.
 */
class WatchPageInBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Gives up after 10.5 s: the 4 s outage fails nothing; the 12 s outage of network 1 outlasts it. */
    private static final List<String> SETTINGS = List.of("--reliable-msg.interval=500ms",
            "--reliable-msg.max-retries=20", "--reliable-msg.close-timeout=1s");

    @Test
    void showsPendingRiseDuringAnOutageStartedFromThePageAndDrainBackToZero() throws IOException {
        requireBrowser();
        Path target = Path.of(System.getProperty("sample.target", "target"));
        try (TwoNodes nodes = TwoNodes.startOnTwoNetworks("watch-page-it", SETTINGS)) {
            assertThat(nodes.a.post("api/traffic", "{\"ratePerSecond\":20}").status()).isEqualTo(200);
            WebDriver browser = startBrowser(Files.createTempDirectory("chromium-profile-"));
            try {
                browser.get(nodes.a.url());
                await("page shows a healthy node").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(text(browser, "health")).isEqualTo("UP");
                    assertThat(browser.findElement(By.id("flap-controls")).isDisplayed()).isTrue();
                    assertThat(text(browser, "delivered")).isNotEqualTo("?");
                });
                await("a's link to b shows two paths: the direct one carries the traffic").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> {
                            assertThat(text(browser, "path-b-1")).startsWith("b 1 127.0.0.1:").contains(" active ")
                                    .endsWith("carries the traffic");
                            assertThat(text(browser, "path-b-2"))
                                    .startsWith("b 2 127.0.0.1:" + nodes.relay.x().getPort() + " standby ");
                            assertThat(text(browser, "link-b")).endsWith(" path 1 of 2, " + text(browser, "path-b-1")
                                    .split(" ")[2] + ": active");
                        });
                assertThat(browser.findElement(By.id("network-controls")).isDisplayed()).isTrue();
                WebElement seconds = browser.findElement(By.id("outage-seconds"));
                seconds.clear();
                seconds.sendKeys("4");
                browser.findElement(By.id("start-outage")).click();

                AtomicInteger highest = new AtomicInteger();
                await("pending rises during the outage").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    highest.accumulateAndGet(pending(browser), Math::max);
                    assertThat(highest.get()).isGreaterThanOrEqualTo(20);
                });
                assertThat(text(browser, "fault-state")).startsWith("outage");
                screenshot(browser, target.resolve("watch-page-outage.png"));

                await("pending drains back to 0 after the outage").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(pending(browser)).isZero());
                assertThat(text(browser, "failures-total")).isEqualTo("0");
                assertThat(Long.parseLong(text(browser, "retransmitted"))).isPositive();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(text(browser, "fault-state")).isEqualTo("link clean"));
                screenshot(browser, target.resolve("watch-page-recovered.png"));

                assertThat(nodes.b.post("api/faults", "{\"loss\":0.3}").status()).isEqualTo(200);
                await("a's page shows the loss b injects, and its own link clean").atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> {
                            assertThat(text(browser, "peer-fault-b")).isEqualTo("dropping 30% of datagrams");
                            assertThat(text(browser, "fault-state")).isEqualTo("link clean");
                        });
                await("a's link to b: reachable, this revision").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(text(browser, "link-b")).startsWith("b yes " + WireFormat.PROTOCOL_REVISION + " ")
                                .contains(": active"));
                browser.get(nodes.b.url());
                await("b's page shows its own loss and a's clean link").atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> {
                            assertThat(text(browser, "fault-state")).isEqualTo("dropping 30% of datagrams");
                            assertThat(text(browser, "peer-fault-a")).isEqualTo("link clean");
                        });
                screenshot(browser, target.resolve("watch-page-b-lossy.png"));
                assertThat(nodes.b.delete("api/faults")).isNotNull();

                browser.get(nodes.a.url()); // a's page opened afresh: what it shows of the past comes from the node
                await("the page opened again shows the outage from the node's history").atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> {
                            assertThat(leadingNumber(text(browser, "history-summary"))).isGreaterThanOrEqualTo(10);
                            assertThat(leadingNumber(text(browser, "pending-peak"))).isGreaterThanOrEqualTo(20);
                        });
                browser.navigate().refresh();
                await("and so does a reload").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(leadingNumber(text(browser, "pending-peak"))).isGreaterThanOrEqualTo(20));
                screenshot(browser, target.resolve("watch-page-reloaded.png"));

                networkOneDown(browser, nodes, target);
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Network 1 down for 12 s from a's page, longer than the retry span (10.5 s): path 1 fails, path 2 (the
     * relay) carries the traffic, b keeps delivering and no message fails; afterwards path 1 takes it back.
     */
    private static void networkOneDown(WebDriver browser, TwoNodes nodes, Path target) throws IOException {
        long relayedBefore = nodes.relay.forwarded();
        WebElement seconds = browser.findElement(By.id("outage-seconds"));
        seconds.clear();
        seconds.sendKeys("12");
        browser.findElement(By.id("network-1-down")).click();
        await("a's own fault: network 1 down").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(text(browser, "fault-state")).startsWith("network 1 (127.0.0.1:").contains("): outage: "));
        await("path 1 failed, path 2 carries the traffic").atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            assertThat(text(browser, "path-b-1")).contains(" failed ").endsWith("probed until it answers");
            assertThat(text(browser, "path-b-2")).contains(" active ").endsWith("carries the traffic");
            assertThat(text(browser, "link-b")).endsWith(" path 2 of 2, 127.0.0.1:" + nodes.relay.x().getPort() + ": active");
        });
        long deliveredByB = nodes.b.get("api/stats").get("delivered").asLong();
        await("b delivers a's messages through the relay").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(nodes.b.get("api/stats").get("delivered").asLong()).isGreaterThan(deliveredByB + 20));
        assertThat(text(browser, "fault-state")).as("still in the outage").contains("outage");
        assertThat(nodes.relay.forwarded()).isGreaterThan(relayedBefore + 20);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('fault-state').scrollIntoView()");
        screenshot(browser, target.resolve("watch-page-network-1-down.png"));

        await("after the 12 s, path 1 carries the traffic again").atMost(Duration.ofSeconds(25)).untilAsserted(() -> {
            assertThat(text(browser, "fault-state")).isEqualTo("link clean");
            assertThat(text(browser, "path-b-1")).contains(" active ").endsWith("carries the traffic");
            assertThat(text(browser, "path-b-2")).contains(" standby ");
        });
        await("every message acked").atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(pending(browser)).isZero());
        assertThat(text(browser, "failures-total")).as("a's failures").isEqualTo("0");
        assertThat(nodes.a.get("api/stats").get("failed").asLong()).isZero();
        assertThat(nodes.b.get("api/failures").get("total").asLong()).as("b's failures").isZero();
        assertThat(nodes.b.get("api/stats").get("deliveredTwice").asLong()).isZero();
        screenshot(browser, target.resolve("watch-page-network-1-back.png"));
    }

    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("headless Chromium is needed: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " must exist. Install them as root with .ci/install-browser.sh "
                    + "(apt-get install -y chromium chromium-driver)");
        }
    }

    private static WebDriver startBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * The text of element {@code id}, or "(no element)" while the page has not made it yet, or
     * "(stale element)" when the page re-rendered it between finding and reading (the awaits retry).
     */
    private static String text(WebDriver browser, String id) {
        try {
            List<WebElement> elements = browser.findElements(By.id(id));
            return elements.isEmpty() ? "(no element " + id + ")" : elements.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "(stale element " + id + ")";
        }
    }

    private static int pending(WebDriver browser) {
        String value = text(browser, "pending");
        return value.matches("\\d+") ? Integer.parseInt(value) : -1;
    }

    /** The number a text starts with, or -1 when it starts with none (not loaded yet). */
    private static int leadingNumber(String text) {
        Matcher number = Pattern.compile("^\\d+").matcher(text);
        return number.find() ? Integer.parseInt(number.group()) : -1;
    }

    private static void screenshot(WebDriver browser, Path file) throws IOException {
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
