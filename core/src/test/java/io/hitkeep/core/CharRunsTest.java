package io.hitkeep.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CharRunsTest {
    /** The same answers as the regex it stands for, on random strings around its bounds and its characters. */
    @Test
    void answersAsTheRegex() {
        Random random = new Random(20261129);
        String alphabet = "0189/:a-z\u0661 ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int length = random.nextInt(6); length > 0; length--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            assertEquals(candidate.matches("[0-9]{1,3}"), CharRuns.isRun(candidate, 1, 3, '0', '9'), candidate);
            assertEquals(candidate.matches("[a-z]{2,3}"), CharRuns.isRun(candidate, 2, 3, 'a', 'z'), candidate);
        }
        for (String edge : List.of("", "0", "999", "9999")) {
            assertEquals(edge.matches("[0-9]{1,3}"), CharRuns.isRun(edge, 1, 3, '0', '9'), edge);
        }
    }
}
