package io.hitkeep.core;

/**
 * Who asks the store, as auth authenticated them: a user, and for an API key the key's team and role (a
 * key acts only in its team, with at most that role). A session acts in every team its user belongs to.
 * What the caller may do with it is decided by auth's {@code Access}. Immutable.
 */
public record Scope(long userId, int keyTeamId, Role keyRole) {
    public Scope {
        keyRole = keyRole == null ? Role.MEMBER : keyRole;
    }

    /** A signed-in user (session cookie). */
    public static Scope user(long userId) {
        return new Scope(userId, 0, Role.MEMBER);
    }

    /** A user's API key for one team, with the key's role. */
    public static Scope apiKey(long userId, int teamId, Role role) {
        return new Scope(userId, teamId, role);
    }

    public boolean viaKey() {
        return keyTeamId != 0;
    }
}
