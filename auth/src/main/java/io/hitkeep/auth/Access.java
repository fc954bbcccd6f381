package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Role;
import io.hitkeep.core.Scope;

import java.util.Optional;

/**
 * Who may do what: the one policy that every role asks, {@code may(caller, action, role in the resource's
 * team)}. Store handlers ask it with the caller's membership (via {@link Teams#require}), the HTTP routes
 * for what needs no membership (a session rather than an API key), the gateway for server-side hits (with
 * the key's team and role). A caller outside the team gets {@link DomainError.Kind#NOT_FOUND} (nothing
 * says the team or site exists), a member without the role or the means
 * {@link DomainError.Kind#FORBIDDEN}. Thread-safe: no state.
 */
public final class Access {
    /** How a caller must be signed in for an action. */
    public enum Means { ANY, SESSION_ONLY, API_KEY_ONLY }

    /** Everything the policy rules on, each with the role it needs in the team and the means it takes. */
    public enum Action {
        READ_SITE(Role.MEMBER), CREATE_SITE(Role.ADMIN), CHANGE_SITE(Role.ADMIN), DELETE_SITE(Role.OWNER),
        MANAGE_SHARE_LINKS(Role.ADMIN), MANAGE_GOALS(Role.ADMIN), MANAGE_ANNOTATIONS(Role.ADMIN), MANAGE_FUNNELS(Role.ADMIN),
        /** Upload and delete another tool's export: it changes the site's numbers like hits do. */
        MANAGE_IMPORTS(Role.ADMIN),
        /** Server-side ingest: hits change a site's numbers, so a key of the site's team with at least admin. */
        SEND_HITS(Role.ADMIN, Means.API_KEY_ONLY),
        READ_TEAM(Role.MEMBER), RENAME_TEAM(Role.OWNER), CHANGE_ROLES(Role.OWNER), REMOVE_MEMBER(Role.OWNER),
        LEAVE_TEAM(Role.MEMBER, Means.SESSION_ONLY), INVITE(Role.ADMIN), READ_TEAM_KEYS(Role.OWNER, Means.SESSION_ONLY),
        READ_TEAM_AUDIT(Role.OWNER, Means.SESSION_ONLY), CREATE_TEAM(Role.MEMBER, Means.SESSION_ONLY),
        /** The caller's own account security: password, factors, passkeys, sessions, keys. */
        MANAGE_OWN_ACCOUNT(Role.MEMBER, Means.SESSION_ONLY);

        private final Role needed;
        private final Means means;

        Action(Role needed) {
            this(needed, Means.ANY);
        }

        Action(Role needed, Means means) {
            this.needed = needed;
            this.means = means;
        }

        public Role needed() {
            return needed;
        }
    }

    private Access() {
    }

    /** Whether the caller, with {@code role} in the resource's team (empty: not in it), may do the action. */
    public static boolean may(Scope caller, Action action, Optional<Role> role) {
        return meansAllowed(caller, action) && role.map(held -> held.atLeast(action.needed)).orElse(false);
    }

    /**
     * The caller's role when they may do the action; else a refusal that tells a stranger nothing
     * ({@code notFound}) and a member what is missing.
     */
    public static Role require(Scope caller, Action action, Optional<Role> role, String notFound) {
        requireMeans(caller, action);
        Role held = role.orElseThrow(() -> DomainError.notFound(notFound));
        if (!held.atLeast(action.needed)) {
            throw DomainError.forbidden("this needs the " + action.needed.label() + " role in the team; you are " + held.label());
        }
        return held;
    }

    /** Refuses an action the caller's means (session or API key) cannot do, whatever their role. */
    public static void requireMeans(Scope caller, Action action) {
        if (!meansAllowed(caller, action)) {
            throw DomainError.forbidden(action.means == Means.API_KEY_ONLY
                    ? "server-side ingest takes an API key (Authorization: Bearer hk_...)"
                    : "sign in with your password for this; an API key cannot do it");
        }
    }

    private static boolean meansAllowed(Scope caller, Action action) {
        return switch (action.means) {
            case ANY -> true;
            case SESSION_ONLY -> !caller.viaKey();
            case API_KEY_ONLY -> caller.viaKey();
        };
    }
}
