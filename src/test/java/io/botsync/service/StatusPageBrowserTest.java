package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.push.WebhookReceiver;
import io.botsync.sim.instabot.InstabotSimulator;
import io.botsync.sim.mercury.MercurySimulator;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser: Debian's headless Chromium, driven through its chromedriver (both installed by
 * {@code .ci/run}), loads the page of a {@code run} whose warehouse holds real runs: Mercury's, which succeed and reject
 * two malformed records, and Instabot's, which fail (the platform refuses the key). It sees what a person sees: the
 * sources, Instabot marked failing, each chart drawn with a point per run, the rejected records and their payloads, and
 * no secret anywhere. The page's screenshot is left in target/status-page.png (the README's is docs/status-page.png).
 */
class StatusPageBrowserTest {

    private final MercurySimulator mercury = new MercurySimulator(60, 7);
    private final InstabotSimulator instabot = new InstabotSimulator(20, 3);
    private final WebhookReceiver crm = new WebhookReceiver();
    private final ServiceFixture seeding = new ServiceFixture();
    private ServiceFixture service;
    private ChromeDriver browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        seeding.close();
        crm.close();
        instabot.close();
        mercury.close();
    }

    @Test
    void showsTheSourcesTheFailingOneTheChartsAndTheRejectedRecords() {
        mercury.corrupt(3, MercurySimulator.Defect.NO_USER_ID);
        String badId = mercury.corrupt(7, MercurySimulator.Defect.PROPERTIES_AS_TEXT);
        instabot.fail(401, "InvalidCredentials");
        configure(seeding, ServiceFixture.EVERY_SECOND);
        seeding.start();
        ServiceFixture.await("three succeeded Mercury runs, two failed Instabot runs, a push to the CRM", () ->
                seeding.count("SELECT COUNT(*) FROM sync_run WHERE source = 'mercury' AND status = 'succeeded'") >= 3
                        && seeding.count("SELECT COUNT(*) FROM sync_run WHERE source = 'instabot' AND status = 'failed'") >= 2
                        && seeding.count("SELECT COUNT(*) FROM push_position WHERE target = 'crm'") == 1);
        seeding.close();

        // the same warehouse under a schedule that fires hours from now: the runs stand still while the browser looks
        service = new ServiceFixture();
        configure(service, "0 0 " + LocalTime.now().plusHours(12).getHour() + " * * ?");
        service.properties.put("botsync.warehouse.url", seeding.url);
        service.start();
        long mercuryRuns = seeding.count("SELECT COUNT(*) FROM sync_run WHERE source = 'mercury' AND finished_at IS NOT NULL");
        long instabotRuns = seeding.count("SELECT COUNT(*) FROM sync_run WHERE source = 'instabot' AND finished_at IS NOT NULL");

        browser = chromium();
        browser.get(service.baseUrl() + "/observe/status");
        List<String> listed = browser.findElements(By.cssSelector("tr.source-row td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("instabot", "mercury"), listed);
        assertEquals("failing", stateShown("instabot"));
        assertEquals("on time", stateShown("mercury"));
        assertTrue(row("instabot").getText().contains("its last"), row("instabot").getText());
        assertTrue(browser.findElement(By.cssSelector("#source-instabot td.error")).getText().contains("401"),
                browser.findElement(By.cssSelector("#source-instabot td.error")).getText());

        assertEquals(mercuryRuns, drawnPoints("mercury"));
        assertEquals(instabotRuns, drawnPoints("instabot"));
        assertEquals(1, browser.findElements(By.cssSelector("#source-mercury figure.chart canvas")).size());
        assertEquals("crm", browser.findElement(By.cssSelector("tr.target-row td:first-child")).getText());
        assertTrue(browser.findElement(By.cssSelector("#source-mercury figure.chart")).getText().contains("fetched"));
        screenshot();

        browser.findElement(By.linkText("30d")).click();
        awaitUrl("range=30d");
        assertEquals("30d", browser.findElement(By.cssSelector("nav.ranges strong")).getText());
        assertEquals(mercuryRuns, drawnPoints("mercury"));

        browser.findElement(By.linkText("Rejected records")).click();
        awaitUrl("/observe/status/rejected$");
        new Select(browser.findElement(By.name("source"))).selectByVisibleText("mercury");
        browser.findElement(By.name("reason")).sendKeys("properties");
        browser.findElement(By.cssSelector("form.search button")).click();
        awaitUrl("reason=properties");
        List<WebElement> rejected = browser.findElements(By.cssSelector("tr.rejected-row"));
        assertEquals(1, rejected.size(), browser.findElement(By.id("rejected")).getText());
        assertTrue(rejected.get(0).getText().contains("properties is not an object"), rejected.get(0).getText());
        rejected.get(0).findElement(By.tagName("summary")).click();
        assertTrue(rejected.get(0).findElement(By.tagName("pre")).getText().contains(badId));
        browser.findElement(By.name("id")).clear();
        browser.findElement(By.name("reason")).clear();
        browser.findElement(By.cssSelector("form.search button")).click();
        awaitUrl("reason=$");
        assertEquals(2, browser.findElements(By.cssSelector("tr.rejected-row")).size());

        for (String page : List.of("/observe/status", "/observe/status?range=7d", "/observe/status/rejected")) {
            String html = service.get(page).body();
            for (String secret : List.of(InstabotSimulator.API_KEY, InstabotSimulator.MASTER_API_KEY, mercury.apiKey())) {
                assertFalse(html.contains(secret), page + " shows a secret");
            }
        }
    }

    private void configure(ServiceFixture fixture, String cron) {
        fixture.properties.putAll(mercury.sourceProperties("mercury"));
        fixture.properties.putAll(instabot.sourceProperties("instabot"));
        fixture.properties.put("botsync.mercury.cron", cron);
        fixture.properties.put("botsync.instabot.cron", cron);
        fixture.properties.put("botsync.http.max-attempts", "1");
        fixture.properties.put("botsync.health.failed-runs", "2");
        fixture.properties.put("botsync.push.crm.url", crm.url());
        fixture.properties.put("botsync.push.crm.cron", ServiceFixture.EVERY_SECOND);
    }

    /** Waits until the browser shows a page whose address matches {@code pattern}: a click that navigates has landed. */
    private void awaitUrl(String pattern) {
        new WebDriverWait(browser, Duration.ofMinutes(1)).until(b -> Pattern.compile(pattern).matcher(b.getCurrentUrl()).find());
    }

    private WebElement row(String source) {
        return browser.findElement(By.cssSelector("tr.source-row[data-source='" + source + "']"));
    }

    private String stateShown(String source) {
        return row(source).findElement(By.cssSelector("span.state")).getText();
    }

    /** How many runs uPlot plotted in the source's chart, once it has drawn it. */
    private long drawnPoints(String source) {
        By figure = By.cssSelector("#source-" + source + " figure.chart");
        new WebDriverWait(browser, Duration.ofMinutes(1)).until(b -> b.findElement(figure).getDomAttribute("data-drawn-points") != null);
        return Long.parseLong(browser.findElement(figure).getDomAttribute("data-drawn-points"));
    }

    private void screenshot() {
        try {
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's Chromium and its driver, never one Selenium Manager would download. */
    private static ChromeDriver chromium() {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2300");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(driver, options);
    }
}
