package io.hitkeep.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Finds which of many ASCII literals occur in a text, ignoring ASCII case, in one pass (Aho-Corasick). The bot
 * detector has about two thousand literal substrings; trying them one by one, or as one alternation regex, costs a
 * pass per literal. Immutable, thread-safe.
 *
 * <p>The states near the root, which a scan passes through at almost every character, have a full row of next
 * states each, failure links folded in. The deep ones (all but 379 of the bundled lists' 15,159 states, nearly all
 * with one child) keep only their children and their failure link: a row for every state would be 1.6 MB of heap
 * for as long as the gateway runs, this is 0.2 MB. Speed matters less here than it seems: the bot detector runs
 * once per user agent, which {@link UserAgents} caches. A scan that misses at a deep state follows failure links
 * towards the root, at most as many steps in all as it has read characters, so it stays linear.
 */
final class LiteralMatcher {
    /** States this close to the root get a full row. */
    private static final int DENSE_DEPTH = 2;

    /** Column of each ASCII character; 0 is every character that occurs in no literal. */
    private final byte[] column = new byte[128];
    private final int columns;
    /**
     * States are numbered breadth first, so the dense ones are {@code 0 .. denseStates - 1}; {@code
     * next[state * columns + column]} is where a dense state goes on a character, failure links folded in. A char
     * holds a state: there are fewer than 65,536.
     */
    private final int denseStates;
    private final char[] next;
    /** Of deep state {@code s}: its children are edges {@code firstEdge[s - denseStates]} up to the next state's. */
    private final int[] firstEdge;
    private final byte[] edgeColumn;
    private final char[] edgeState;
    /** Of deep state {@code s}: the state of its longest proper suffix that is a state, at {@code s - denseStates}. */
    private final char[] failure;
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

        // the trie: children per state as sorted maps while building; states numbered as the literals made them
        List<TreeMap<Integer, Integer>> children = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        children.add(new TreeMap<>());
        ends.add(new ArrayList<>());
        for (int index = 0; index < literals.size(); index++) {
            String literal = literals.get(index);
            int state = 0;
            for (int i = 0; i < literal.length(); i++) {
                int col = column[Character.toLowerCase(literal.charAt(i))];
                Integer child = children.get(state).get(col);
                if (child == null) {
                    child = children.size();
                    children.add(new TreeMap<>());
                    ends.add(new ArrayList<>());
                    children.get(state).put(col, child);
                }
                state = child;
            }
            ends.get(state).add(index);
        }

        int states = children.size();
        if (states > Character.MAX_VALUE) {
            throw new IllegalArgumentException(states + " states: more than a char holds");
        }
        // number the states breadth first: a state's failure state, being shallower, has a smaller number
        int[] order = new int[states];        // new number -> trie's number
        int[] renumbered = new int[states];   // trie's number -> new number
        int[] depth = new int[states];
        int dense = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
        for (int number = 0; !queue.isEmpty(); number++) {
            int state = queue.poll();
            order[number] = state;
            renumbered[state] = number;
            if (depth[state] <= DENSE_DEPTH) {
                dense = number + 1;
            }
            for (int child : children.get(state).values()) {
                depth[child] = depth[state] + 1;
                queue.add(child);
            }
        }
        this.denseStates = dense;

        int[] failureOf = new int[states];
        this.next = new char[denseStates * columns];
        for (int number = 0; number < states; number++) {
            int state = order[number];
            int fail = failureOf[number];
            if (number > 0) {
                ends.get(state).addAll(ends.get(order[fail]));
            }
            for (var edge : children.get(state).entrySet()) {
                int child = renumbered[edge.getValue()];
                // the child's failure: follow this state's failure links to one that has the same edge
                failureOf[child] = number == 0 ? 0 : step(fail, edge.getKey(), children, renumbered, order, failureOf);
            }
            if (number < denseStates) {
                for (int col = 0; col < columns; col++) {
                    Integer child = children.get(state).get(col);
                    int target = child != null ? renumbered[child] : number == 0 ? 0 : next[fail * columns + col];
                    next[number * columns + col] = (char) target;
                }
            }
        }

        int deep = states - denseStates;
        int deepEdges = 0;
        for (int number = denseStates; number < states; number++) {
            deepEdges += children.get(order[number]).size();
        }
        this.firstEdge = new int[deep + 1];
        this.edgeColumn = new byte[deepEdges];
        this.edgeState = new char[deepEdges];
        this.failure = new char[deep];
        int edge = 0;
        for (int number = denseStates; number < states; number++) {
            firstEdge[number - denseStates] = edge;
            failure[number - denseStates] = (char) failureOf[number];
            for (var child : children.get(order[number]).entrySet()) {
                edgeColumn[edge] = (byte) (int) child.getKey();
                edgeState[edge++] = (char) renumbered[child.getValue()];
            }
        }
        firstEdge[deep] = edge;
        this.endingHere = new int[states][];
        for (int number = 0; number < states; number++) {
            List<Integer> endingAt = ends.get(order[number]);
            if (!endingAt.isEmpty()) {
                endingHere[number] = endingAt.stream().mapToInt(Integer::intValue).distinct().toArray();
            }
        }
    }

    /**
     * While building: the state reached from state {@code from} (new numbering, its failure links known) on
     * {@code col}, trying its failure states in turn, the root last.
     */
    private static int step(int from, int col, List<TreeMap<Integer, Integer>> children, int[] renumbered, int[] order,
                            int[] failureOf) {
        int state = from;
        while (true) {
            Integer child = children.get(order[state]).get(col);
            if (child != null) {
                return renumbered[child];
            }
            if (state == 0) {
                return 0;
            }
            state = failureOf[state];
        }
    }

    /** Reports each literal that occurs in the text, once per occurrence, until {@code found} says stop. */
    void scan(CharSequence text, Found found) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            state = advance(state, c < 128 ? column[c] : 0);
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

    /** Where {@code state} goes on a character of column {@code col}. */
    private int advance(int state, int col) {
        while (state >= denseStates) {
            int deep = state - denseStates;
            for (int edge = firstEdge[deep]; edge < firstEdge[deep + 1]; edge++) {
                if (edgeColumn[edge] == col) {
                    return edgeState[edge];
                }
            }
            state = failure[deep];
        }
        return next[state * columns + col];
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

    /** States in all. */
    int states() {
        return endingHere.length;
    }

    /** States with a full row of {@link #columns()} next states. */
    int denseStates() {
        return denseStates;
    }

    int columns() {
        return columns;
    }
}
