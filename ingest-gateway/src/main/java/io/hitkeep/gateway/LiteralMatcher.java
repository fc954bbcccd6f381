package io.hitkeep.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which of many ASCII literals occur in a text, ignoring ASCII case, in one pass (Aho-Corasick,
 * compiled into a table with one row per state). The bot detector has about two thousand literal
 * substrings; trying them one by one, or as one alternation regex, costs a pass per literal. Immutable,
 * thread-safe.
 */
final class LiteralMatcher {
    /** Column of each ASCII character in the table; 0 is every character that occurs in no literal. */
    private final byte[] column = new byte[128];
    private final int columns;
    /**
     * {@code next[state * columns + column]}: the state after reading a character, failure links folded in.
     * States are numbered below 65,536, so a char holds one: half the memory of an int table (1.5 MB for
     * the bundled lists' 15,000 states).
     */
    private final char[] next;
    /** Per state, the literals (by index) that end there, its suffixes' included; null for none. */
    private final int[][] endingHere;
    private final int literalCount;

    /** What a scan reports: a literal that occurs. Returns false to stop the scan. */
    interface Found {
        boolean found(int literal);
    }

    /**
     * @param literals ASCII strings, non-empty; their case does not matter
     * @throws IllegalArgumentException for an empty or non-ASCII literal
     */
    LiteralMatcher(List<String> literals) {
        this.literalCount = literals.size();
        int used = 1;
        for (String literal : literals) {
            if (literal.isEmpty()) {
                throw new IllegalArgumentException("empty literal");
            }
            for (int i = 0; i < literal.length(); i++) {
                char c = Character.toLowerCase(literal.charAt(i));
                if (c >= 128) {
                    throw new IllegalArgumentException("not ASCII: " + literal);
                }
                if (column[c] == 0) {
                    if (used == 127) {
                        throw new IllegalArgumentException("more than 126 distinct characters");
                    }
                    column[c] = (byte) used++;
                }
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            column[c] = column[Character.toLowerCase(c)];
        }
        this.columns = used;

        // the trie: children per state as maps while building, flattened afterwards
        List<Map<Integer, Integer>> children = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        children.add(new HashMap<>());
        ends.add(new ArrayList<>());
        for (int index = 0; index < literals.size(); index++) {
            String literal = literals.get(index);
            int state = 0;
            for (int i = 0; i < literal.length(); i++) {
                int col = column[Character.toLowerCase(literal.charAt(i))];
                Integer child = children.get(state).get(col);
                if (child == null) {
                    child = children.size();
                    children.add(new HashMap<>());
                    ends.add(new ArrayList<>());
                    children.get(state).put(col, child);
                }
                state = child;
            }
            ends.get(state).add(index);
        }

        int states = children.size();
        if (states > Character.MAX_VALUE) {
            throw new IllegalArgumentException(states + " states: more than a char table holds");
        }
        int[] table = new int[states * columns];
        int[] failure = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        // breadth first, so a state's failure state is complete before its children are filled in
        for (var child : children.get(0).entrySet()) {
            table[child.getKey()] = child.getValue();
            queue.add(child.getValue());
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            ends.get(state).addAll(ends.get(failure[state]));
            for (int col = 0; col < columns; col++) {
                Integer child = children.get(state).get(col);
                if (child != null) {
                    failure[child] = table[failure[state] * columns + col];
                    table[state * columns + col] = child;
                    queue.add(child);
                } else {
                    table[state * columns + col] = table[failure[state] * columns + col];
                }
            }
        }
        this.next = new char[table.length];
        for (int i = 0; i < table.length; i++) {
            next[i] = (char) table[i];
        }
        this.endingHere = new int[states][];
        for (int state = 0; state < states; state++) {
            if (!ends.get(state).isEmpty()) {
                endingHere[state] = ends.get(state).stream().mapToInt(Integer::intValue).distinct().toArray();
            }
        }
    }

    /** Reports each literal that occurs in the text, once per occurrence, until {@code found} says stop. */
    void scan(CharSequence text, Found found) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            state = next[state * columns + (c < 128 ? column[c] : 0)];
            int[] literals = endingHere[state];
            if (literals != null) {
                for (int literal : literals) {
                    if (!found.found(literal)) {
                        return;
                    }
                }
            }
        }
    }

    /** The indices of the literals that occur in the text, in ascending order. */
    int[] occurring(CharSequence text) {
        boolean[] seen = new boolean[literalCount];
        scan(text, literal -> {
            seen[literal] = true;
            return true;
        });
        int[] result = new int[literalCount];
        int count = 0;
        for (int literal = 0; literal < literalCount; literal++) {
            if (seen[literal]) {
                result[count++] = literal;
            }
        }
        return Arrays.copyOf(result, count);
    }

    /** States in the table, to judge its size: {@code states() * columns() * 4} bytes. */
    int states() {
        return endingHere.length;
    }

    int columns() {
        return columns;
    }
}
