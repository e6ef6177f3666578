package org.tunnelbus.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an operator does in the web console, in headless Chromium driven by Selenium: a program of its own, which
 * {@code ConsoleBrowserIT} runs inside the server's network namespace ({@code ip netns exec}) where the console
 * listens on 127.0.0.1 (the browser, its driver and Selenium must share the namespace). Debian's
 * {@code chromium-driver} is used as it is: Selenium Manager never downloads anything; Chromium starts with a fresh
 * profile and its background networking off, so it talks to nothing but the console.
 *
 * <p>Steps, each with a screenshot in the output folder: log in with the generated password; wait for the session
 * of CLIENT on the Tunnelbus page; open its details and throughput graph; kick it and see it go; edit a value in
 * a metatype form (Configuration page) and save. Prints {@code [browser] ...} lines; exit status 0 when every step
 * passed, 1 otherwise (with a {@code failure.png}).
 *
 * <p>Arguments: CONSOLE_URL PASSWORD_FILE SCREENSHOT_DIR CLIENT PID PROPERTY VALUE
 */
public final class ConsoleBrowser {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final WebDriver driver;
    private final Path shots;

    private ConsoleBrowser(WebDriver driver, Path shots) {
        this.driver = driver;
        this.shots = shots;
    }

    public static void main(String[] args) throws Exception {
        String console = args[0];
        String password = Files.readString(Path.of(args[1])).strip();
        Path shots = Files.createDirectories(Path.of(args[2]));
        Path profile = Files.createTempDirectory("tb-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--window-size=1400,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        ConsoleBrowser b = new ConsoleBrowser(driver, shots);
        int rc = 0;
        try {
            b.run(console, password, args[3], args[4], args[5], args[6]);
            System.out.println("[browser] all steps passed");
        } catch (Exception | AssertionError e) {
            System.out.println("[browser] FAILED: " + e);
            b.shot("failure");
            rc = 1;
        } finally {
            driver.quit();
        }
        System.exit(rc);
    }

    private void run(String console, String password, String client, String pid, String property, String value) throws Exception {
        // log in: the console asks for HTTP basic authentication (user admin, the generated password)
        String withLogin = console.replace("http://", "http://admin:" + password + "@");
        driver.get(withLogin + "/tunnelbus");
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("tb-sessions")));
        step("logged in, the Tunnelbus page is there", "1-tunnelbus-page");

        By row = By.cssSelector("#tb-sessions tr[data-name='" + client + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        String state = driver.findElement(row).getText();
        if (!state.contains("ACTIVE")) {
            throw new AssertionError("the session row of " + client + " is not ACTIVE: " + state);
        }
        step("the session of " + client + " appeared without a reload: " + state, "2-session");

        driver.findElement(By.cssSelector("#tb-sessions tr[data-name='" + client + "'] td.tb-name")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tb-graph")));
        Thread.sleep(5000); // two more samples for the graph
        String details = driver.findElement(By.id("tb-detail-table")).getText();
        if (!details.contains("Pushed options") || !details.contains("ifconfig")) {
            throw new AssertionError("the session details lack the pushed options: " + details);
        }
        step("details and throughput graph shown", "3-details");

        driver.findElement(By.cssSelector("#tb-sessions tr[data-name='" + client + "'] button.tb-kick")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tb-message"), "kicked " + client));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
        step("kicked: " + driver.findElement(By.id("tb-message")).getText(), "4-kicked");

        editConfiguration(console, pid, property, value, wait);
    }

    /** The Configuration page's form of {@code pid}: set {@code property} to {@code value} and save. */
    private void editConfiguration(String console, String pid, String property, String value, WebDriverWait wait) throws Exception {
        driver.get(console + "/configMgr/" + pid);
        By field = By.cssSelector("[name='" + property + "']"); // a textarea in Web Console 5's forms
        wait.until(ExpectedConditions.visibilityOfElementLocated(field));
        WebElement input = driver.findElement(field);
        input.clear();
        input.sendKeys(value);
        shot("5-config-form");
        List<WebElement> save = driver.findElements(By.xpath("//button[normalize-space(.)='Save']"));
        if (save.isEmpty()) {
            throw new AssertionError("no Save button in the configuration form");
        }
        save.get(save.size() - 1).click();
        wait.until(d -> ((JavascriptExecutor) d).executeScript("return document.readyState").equals("complete"));
        Thread.sleep(1500);
        step("configuration " + pid + ": " + property + " = " + value + " saved", "6-config-saved");
    }

    private void step(String what, String shot) throws Exception {
        shot(shot);
        System.out.println("[browser] " + what);
    }

    private void shot(String name) {
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(shots.resolve(name + ".png"), png);
        } catch (Exception e) {
            System.out.println("[browser] no screenshot " + name + ": " + e);
        }
    }
}
