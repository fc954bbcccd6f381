package io.hitkeep.reports.digest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Json;
import io.hitkeep.query.Annotations;
import io.hitkeep.reports.mail.Letters;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The digest's mail from stats answers: figures with their change, top lists, escaping, both parts. Its
 * HTML is also rendered by Chromium with a light and a dark client setting into
 * {@code target/digest-preview/} (digest-light.png, digest-dark.png) to be looked at.
 */
class DigestMailTest {
    private static final Period.Range WEEK = Period.WEEK.containing(LocalDate.parse("2026-05-06"));

    @Test
    void figuresCarryTheirChangeAgainstThePeriodBefore() {
        List<DigestMail.Figure> figures = DigestMail.figures(summary(1234, 3456, 40.0, 65), summary(1100, 3600, 50.0, 0), Period.WEEK);
        assertEquals(new DigestMail.Figure("Visitors", "1,234", "+12% vs the week before", DigestMail.Trend.BETTER), figures.get(0));
        assertEquals(new DigestMail.Figure("Pageviews", "3,456", "\u22124% vs the week before", DigestMail.Trend.WORSE), figures.get(1));
        assertEquals(new DigestMail.Figure("Bounce rate", "40%", "\u221220% vs the week before", DigestMail.Trend.BETTER), figures.get(2),
                "a lower bounce rate is better");
        assertEquals(new DigestMail.Figure("Visit duration", "1m 05s", "new vs the week before", DigestMail.Trend.BETTER), figures.get(3));
        List<DigestMail.Figure> quiet = DigestMail.figures(summary(0, 0, 0, 0), summary(0, 0, 0, 0), Period.MONTH);
        assertEquals("", quiet.get(0).change(), "nothing against nothing says nothing");
    }

    @Test
    void durationsReadLikeTheDashboards() {
        assertEquals("42s", DigestMail.duration(42.4));
        assertEquals("1m 05s", DigestMail.duration(65));
        assertEquals("1h 02m", DigestMail.duration(3720));
    }

    @Test
    void bothPartsHaveTheNumbersTheListsAndTheLinksAndTheHtmlEscapesWhatVisitorsSent() {
        Letters.Rendered mail = sample();
        assertEquals("example.com: Week of 4 May 2026 on HitKeep", mail.subject());
        for (String part : List.of(mail.text(), mail.html())) {
            assertTrue(part.contains("1,234") && part.contains("3,456") && part.contains("40%") && part.contains("1m 05s"), part);
            assertTrue(part.contains("/pricing") && part.contains("Germany") && part.contains("Direct / none"), part);
            assertTrue(part.contains("https://stats.example.com/sites/7"), part);
            assertTrue(part.contains("Notes") && part.contains("5 May: Launched the"), "the week's annotation: " + part);
        }
        assertTrue(mail.html().contains("Launched the &lt;new&gt; pricing page"), "an annotation's text is escaped");
        assertTrue(mail.text().contains("Unsubscribe: https://stats.example.com/api/reports/unsubscribe?token=t"), mail.text());
        assertFalse(mail.html().contains("<script>alert(1)</script>"), "a page path a visitor sent is escaped");
        assertTrue(mail.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(mail.html().contains("<img") || mail.html().contains("url(") || mail.html().contains("src="), "nothing is fetched");
        assertTrue(mail.html().contains("@media (prefers-color-scheme: dark)"));
    }

    @Test
    void chromiumRendersTheDigestInLightAndDarkClients() throws Exception {
        Path out = Path.of("target", "digest-preview");
        Files.createDirectories(out);
        Path html = out.resolve("digest.html");
        Files.writeString(html, sample().html(), StandardCharsets.UTF_8);
        Path light = screenshot(html, out.resolve("digest-light.png"), "light");
        Path dark = screenshot(html, out.resolve("digest-dark.png"), "dark");
        // the dark client's page background is dark: compare a pixel of the margin
        java.awt.image.BufferedImage lightImage = javax.imageio.ImageIO.read(light.toFile());
        java.awt.image.BufferedImage darkImage = javax.imageio.ImageIO.read(dark.toFile());
        assertTrue(brightness(lightImage.getRGB(4, 4)) > 200, "light margin");
        assertTrue(brightness(darkImage.getRGB(4, 4)) < 60, "dark margin");
    }

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }

    /** Debian's Chromium as browser-tests/ runs it ({@code HITKEEP_CHROMIUM} or {@code /usr/bin/chromium}). */
    private static Path screenshot(Path html, Path png, String scheme) throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("HITKEEP_CHROMIUM", "/usr/bin/chromium");
        Path profile = Files.createTempDirectory("hk-chromium-");
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=700,1500",
                // Blink's preferred colour scheme: 0 dark, 1 light (what prefers-color-scheme answers)
                "--blink-settings=preferredColorScheme=" + (scheme.equals("dark") ? 0 : 1),
                "--screenshot=" + png.toAbsolutePath(), html.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        io.hitkeep.testing.TempFiles.deleteTree(profile);
        assertTrue(Files.size(png) > 10_000, png + " was written");
        return png;
    }

    private static Letters.Rendered sample() {
        ObjectNode current = Json.object();
        current.set("summary", summary(1234, 3456, 40.0, 65));
        current.set("pages", list(List.of("/", "/pricing", "/docs/getting-started", "/<script>alert(1)</script>"), List.of(812, 240, 120, 3)));
        current.set("sources", list(List.of("", "Google", "news.ycombinator.com", "DuckDuckGo"), List.of(600, 410, 150, 74)));
        current.set("countries", list(List.of("DE", "US", "FR", "NL", "AT", "CH"), List.of(500, 300, 150, 120, 90, 40)));
        ObjectNode previous = Json.object();
        previous.set("summary", summary(1100, 3600, 50.0, 0));
        List<Annotations.Annotation> annotations = List.of(new Annotations.Annotation(1, "2026-05-05", "Launched the <new> pricing page"));
        return DigestMail.render("example.com", "Europe/Berlin", WEEK, current, previous, annotations,
                "https://stats.example.com/sites/7?range=custom&from=2026-05-04&to=2026-05-10",
                "https://stats.example.com/api/reports/unsubscribe?token=t");
    }

    private static JsonNode summary(long visitors, long pageviews, double bounceRate, double duration) {
        return Json.object().put("visitors", visitors).put("pageviews", pageviews).put("bounce_rate", bounceRate)
                .put("avg_session_duration", duration);
    }

    private static ArrayNode list(List<String> values, List<Integer> visitors) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (int i = 0; i < values.size(); i++) {
            rows.add(Json.object().put("value", values.get(i)).put("visitors", visitors.get(i)).put("pageviews", visitors.get(i) * 2));
        }
        return rows;
    }
}
