package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Role;
import io.hitkeep.core.Scope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The policy on its own, one row a case: who (session or key), their role in the team, the action, the verdict. */
class AccessTest {
    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
            // means,   role in team, action,             verdict
            "session, member, READ_SITE,          allowed",
            "session, member, CHANGE_SITE,        forbidden",
            "session, admin,  CHANGE_SITE,        allowed",
            "session, admin,  DELETE_SITE,        forbidden",
            "session, owner,  DELETE_SITE,        allowed",
            "session, none,   READ_SITE,          not_found",
            "session, none,   DELETE_SITE,        not_found",
            "key,     owner,  READ_TEAM_AUDIT,    forbidden",
            "key,     owner,  READ_TEAM_KEYS,     forbidden",
            "key,     admin,  CHANGE_SITE,        allowed",
            "key,     admin,  SEND_HITS,          allowed",
            "key,     member, SEND_HITS,          forbidden",
            "session, owner,  SEND_HITS,          forbidden",
            "key,     owner,  CREATE_TEAM,        forbidden",
            "session, member, CREATE_TEAM,        allowed",
            "key,     member, MANAGE_OWN_ACCOUNT, forbidden",
    })
    void decides(String means, String role, Access.Action action, String verdict) {
        Scope caller = means.equals("key") ? Scope.apiKey(1, 7, Role.OWNER) : Scope.user(1);
        Optional<Role> held = Role.parse(role);
        assertEquals(verdict.equals("allowed"), Access.may(caller, action, held));
        if (verdict.equals("allowed")) {
            assertEquals(held.orElseThrow(), Access.require(caller, action, held, "no such thing"));
        } else {
            DomainError refusal = assertThrows(DomainError.class, () -> Access.require(caller, action, held, "no such thing"));
            assertEquals(verdict, refusal.kind().label());
        }
    }
}
