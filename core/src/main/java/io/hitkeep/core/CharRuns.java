package io.hitkeep.core;

/**
 * Checks that a regex such as {@code [0-9]{1,18}} would make, without one: these run for every request or hit, and
 * {@code String.matches} compiles its pattern on each call.
 */
public final class CharRuns {
    private CharRuns() {
    }

    /** Whether {@code text} is {@code minLength} to {@code maxLength} characters, each from {@code first} to {@code last}. */
    public static boolean isRun(String text, int minLength, int maxLength, char first, char last) {
        if (text.length() < minLength || text.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < first || c > last) {
                return false;
            }
        }
        return true;
    }
}
