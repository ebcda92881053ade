package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.testing.Services;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium and chromedriver, driven by
 * Selenium): it loads without console errors, shows the regions, its invalidate button empties
 * the region, and its charts' axis labels are drawn whole. Writes {@code target/dashboard.png}
 * and {@code target/dashboard-latency.png}. Fails under {@code CI=true} when
 * chromedriver is missing, else skips.
 */
class DashboardBrowserTest {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path BROWSER = Path.of("/usr/bin/chromium");

    private DashboardSite site;
    private ChromeDriver driver;
    private Path profile;
    private final List<String> consoleErrors = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(DRIVER) || !Files.isExecutable(BROWSER)) {
            String message = "chromium and chromedriver are needed at " + BROWSER + " and " + DRIVER
                    + " (bash .ci/browser installs them)";
            Services.missing(message);
        }
        profile = Files.createTempDirectory("larder-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1800",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        site = new DashboardSite();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (site != null) {
            site.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }

    @Test
    void dashboard_loadsWithoutConsoleErrors_showsRegions_andInvalidateEmptiesTheRegion()
            throws Exception {
        for (int interval = 0; interval < 6; interval++) {
            for (int i = 0; i <= interval; i++) {
                site.get("/posts", null);
            }
            site.get("/authors", null);
            site.get("/search", null);
            site.dashboard.sampleNow();
        }
        driver.get(site.base() + "/login");
        driver.manage().addCookie(new Cookie("admin", "let-me-in"));
        driver.get(site.base() + "/_larder");
        collectConsoleErrors();

        assertThat(driver.getTitle()).isEqualTo("Larder cache");
        assertThat(regionNames()).contains("posts", "authors");
        assertThat(entries("posts")).isEqualTo("1");
        assertThat(driver.findElements(By.cssSelector("svg polyline"))).isNotEmpty();
        assertThat(driver.findElement(By.id("advice")).getText()).contains("/search");
        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot,
                StandardCopyOption.REPLACE_EXISTING);

        WebElement button = driver.findElement(
                By.cssSelector("tr[data-region='posts'] button.invalidate"));
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.stalenessOf(
                button));
        collectConsoleErrors();

        assertThat(driver.getCurrentUrl()).isEqualTo(site.base() + "/_larder");
        assertThat(entries("posts")).isEqualTo("0");
        assertThat(entries("authors")).isEqualTo("1");
        assertThat(driver.findElement(By.id("invalidations")).getText()).contains("region posts");
        int loads = site.postLoads.get();
        site.get("/posts", null);
        assertThat(site.postLoads).as("the next read is a miss").hasValue(loads + 1);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void latencyChart_ofSlowRoutes_showsItsYAxisLabelsWhole() throws Exception {
        // Issue 19: "1446 ms" at the top of the latency axis showed as "446 ms", cut at the
        // chart's left edge. Requests of 1.4 and 12.4 s, as the plugin reports them.
        site.dashboard.accept(new RequestTiming("/archive", "GET", 200, "none", 1_446_000_000L,
                List.of()));
        site.dashboard.sampleNow();
        site.dashboard.accept(new RequestTiming("/archive", "GET", 200, "none", 12_446_000_000L,
                List.of()));
        site.dashboard.sampleNow();
        driver.get(site.base() + "/login");
        driver.manage().addCookie(new Cookie("admin", "let-me-in"));
        driver.get(site.base() + "/_larder");

        WebElement chart = driver.findElements(By.tagName("figure")).stream()
                .filter(f -> f.getText().startsWith("Latency per route")).findFirst()
                .orElseThrow();
        Path shot = Path.of("target", "dashboard-latency.png");
        Files.createDirectories(shot.getParent());
        Files.copy(chart.getScreenshotAs(OutputType.FILE).toPath(), shot,
                StandardCopyOption.REPLACE_EXISTING);
        // Where the browser drew each axis label, in the chart's own units (0 to 640 wide).
        @SuppressWarnings("unchecked")
        List<List<Object>> labels = (List<List<Object>>) driver.executeScript(
                "return Array.from(document.querySelectorAll('svg .axis text')).map(t => {"
                        + " const b = t.getBBox();"
                        + " return [t.textContent, b.x, b.x + b.width]; });");

        assertThat(labels).allSatisfy(label -> assertThat(((Number) label.get(1)).doubleValue())
                .as("left edge of %s", label).isGreaterThanOrEqualTo(0));
        assertThat(labels).allSatisfy(label -> assertThat(((Number) label.get(2)).doubleValue())
                .as("right edge of %s", label).isLessThanOrEqualTo(640));
        assertThat(labels).extracting(l -> (String) l.get(0)).contains("20000 ms", "10000 ms");
        collectConsoleErrors();
        assertThat(consoleErrors).isEmpty();
    }

    private List<String> regionNames() {
        return driver.findElements(By.cssSelector("#regions tbody tr")).stream()
                .map(row -> row.getAttribute("data-region")).toList();
    }

    private String entries(String region) {
        return driver.findElement(By.cssSelector("tr[data-region='" + region + "'] td.entries"))
                .getText();
    }

    private void collectConsoleErrors() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                consoleErrors.add(entry.getLevel() + " " + entry.getMessage());
            }
        }
    }
}
