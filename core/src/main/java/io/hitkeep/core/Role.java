package io.hitkeep.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * What a team member (or an API key scoped to a team) may do, each role including the ones below it:
 * a {@link #MEMBER} reads the team's sites and stats; an {@link #ADMIN} also adds and changes sites,
 * share links and invites people; an {@link #OWNER} also deletes sites, changes roles, removes people,
 * manages everyone's API keys in the team and reads the team's audit log.
 */
public enum Role {
    MEMBER, ADMIN, OWNER;

    /** The role named by {@code name} ("member", "admin", "owner"), or empty. */
    public static Optional<Role> parse(String name) {
        for (Role role : values()) {
            if (role.label().equals(name == null ? "" : name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The role a JSON label names (store requests carry roles as labels); an unknown one is refused. */
    @JsonCreator
    public static Role of(String label) {
        return parse(label).orElseThrow(() -> DomainError.invalid("role must be member, admin or owner"));
    }

    /** As stored and sent: lower case. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The weaker of two roles: what a key may do when its owner's own role was lowered below the key's. */
    public Role min(Role other) {
        return atLeast(other) ? other : this;
    }
}
