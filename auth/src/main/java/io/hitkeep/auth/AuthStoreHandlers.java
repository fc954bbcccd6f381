package io.hitkeep.auth;

import io.hitkeep.core.Json;
import io.hitkeep.core.Subjects;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoreHandlers;
import io.hitkeep.writer.StoreRegistry;
import io.nats.client.Connection;

import java.util.function.Function;

/**
 * Identity and access as the writer hosts it: accounts, keys, sessions, second factors, passkeys, teams
 * and invitations, one registration per operation. Operations after which a cached credential no longer
 * holds (a revoked session, a new session epoch, a revoked key, a changed role) also tell every auth
 * process at once on {@link Subjects#AUTH_CHANGES}. Found by the writer through {@code META-INF/services}.
 */
public final class AuthStoreHandlers implements StoreHandlers {
    private static final int ACCOUNT_AUDIT_LIMIT = 100;
    private static final int TEAM_AUDIT_LIMIT = 200;

    @Override
    public void register(StoreRegistry registry) {
        Database database = registry.database();
        Teams teams = new Teams(database);
        Accounts accounts = new Accounts(database);
        AccountSecurity security = new AccountSecurity(database);
        PasskeyRecords passkeys = new PasskeyRecords(database);
        Connection nats = registry.nats();
        accounts.markClaimedIfUsers();

        registry.handle(Accounts.COUNT_USERS, none -> new Accounts.UserCount(accounts.countUsers()))
                .handle(Accounts.CREATE_FIRST_USER, user -> accounts.createFirstUser(user.email(), user.passwordHash()))
                .handle(Accounts.CREATE_USER, user -> accounts.createUser(user.email(), user.passwordHash()))
                .handle(Accounts.FIND_USER_BY_EMAIL, email -> accounts.findUserByEmail(email.email()))
                .handle(Accounts.GET_USER, user -> accounts.user(user.userId()))
                .handle(Accounts.CREATE_API_KEY, key -> accounts.createApiKey(key.userId(), key.name(), key.keyHash(),
                        key.prefix(), key.teamId(), key.role()))
                .handle(Accounts.FIND_API_KEY, key -> accounts.findApiKey(key.keyHash()))
                .handle(Accounts.LIST_API_KEYS, user -> accounts.listApiKeys(user.userId(), 0))
                .handle(Accounts.REVOKE_API_KEY, key -> announce(nats, accounts.revokeApiKey(key.scope(), key.keyId()),
                        revoked -> Json.object().put("api_key", revoked.id())));

        registry.handle(AccountSecurity.CREDENTIALS, user -> security.credentials(user.userId()))
                .handle(AccountSecurity.SET_PASSWORD, change -> announce(nats,
                        security.setPassword(change.userId(), change.passwordHash()),
                        answer -> new AccountSecurity.UserEpoch(change.userId(), answer.sessionEpoch())))
                .handle(AccountSecurity.BEGIN_RESET, reset -> security.beginReset(reset.email(), reset.tokenHash(), reset.expiresAt()))
                // the answer (whose epoch moved on, and to what) is the notice itself
                .handle(AccountSecurity.FINISH_RESET, reset -> announce(nats, security.finishReset(reset.tokenHash(),
                        reset.passwordHash()), answer -> answer))
                .handle(AccountSecurity.SESSION_STATE, none -> security.sessionState())
                .handle(AccountSecurity.REVOKE_SESSION, session -> announce(nats, security.revoke(session.jti(), session.expiresAt()),
                        answer -> Json.object().put("revoked", session.jti()).put("expires_at", session.expiresAt())))
                .handle(AccountSecurity.SIGN_OUT_EVERYWHERE, user -> announce(nats, security.signOutEverywhere(user.userId()),
                        answer -> new AccountSecurity.UserEpoch(user.userId(), answer.sessionEpoch())))
                .handle(AccountSecurity.TOTP, user -> security.totp(user.userId()))
                .handle(AccountSecurity.BEGIN_TOTP, totp -> security.beginTotp(totp.userId(), totp.secret()))
                .handle(AccountSecurity.ENABLE_TOTP, totp -> security.enableTotp(totp.userId(), totp.step(), totp.recoveryHashes()))
                .handle(AccountSecurity.DISABLE_TOTP, totp -> security.disableTotp(totp.userId(), totp.step()))
                .handle(AccountSecurity.USE_TOTP_STEP, totp -> security.useTotpStep(totp.userId(), totp.step()))
                .handle(AccountSecurity.USE_RECOVERY_CODE, code -> security.useRecoveryCode(code.userId(), code.codeHash()))
                .handle(AccountSecurity.ADD_AUDIT, entry -> security.addAudit(entry.userId(), entry.event(), entry.detail(),
                        entry.ip(), entry.teamId()))
                .handle(AccountSecurity.AUDIT, query -> security.audit(query.userId(), clamp(query.limit(), ACCOUNT_AUDIT_LIMIT)));

        registry.handle(PasskeyRecords.HANDLE, user -> passkeys.handle(user.userId()))
                .handle(PasskeyRecords.OWNER, owner -> passkeys.owner(owner.email(), owner.userHandle()))
                .handle(PasskeyRecords.FIND, credential -> passkeys.find(credential.credentialId()))
                .handle(PasskeyRecords.ADD, passkey -> passkeys.add(passkey.userId(), passkey.credentialId(), passkey.userHandle(),
                        passkey.publicKeyCose(), passkey.signatureCount(), passkey.name()))
                .handle(PasskeyRecords.LIST, user -> passkeys.list(user.userId()))
                .handle(PasskeyRecords.RENAME, passkey -> passkeys.rename(passkey.userId(), passkey.id(), passkey.name()))
                .handle(PasskeyRecords.DELETE, passkey -> passkeys.delete(passkey.userId(), passkey.id()))
                .handle(PasskeyRecords.USE, use -> passkeys.use(use.credentialId(), use.signatureCount()));

        registry.handle(Teams.LIST, caller -> teams.list(caller.scope()))
                .handle(Teams.CREATE, team -> teams.create(team.scope(), team.name()))
                .handle(Teams.GET, team -> teams.get(team.scope(), team.teamId()))
                .handle(Teams.RENAME, team -> teams.rename(team.scope(), team.teamId(), team.name()))
                .handle(Teams.SET_ROLE, change -> announce(nats, teams.setRole(change.scope(), change.teamId(), change.memberId(),
                        change.role()), answer -> Json.object().put("keys_of", change.memberId())))
                .handle(Teams.REMOVE_MEMBER, member -> announce(nats, teams.removeMember(member.scope(), member.teamId(),
                        member.memberId()), answer -> Json.object().put("keys_of", member.memberId())))
                .handle(Teams.AUDIT, audit -> teams.audit(audit.scope(), audit.teamId(), clamp(audit.limit(), TEAM_AUDIT_LIMIT)))
                .handle(Teams.API_KEYS, team -> {
                    teams.require(team.scope(), team.teamId(), Access.Action.READ_TEAM_KEYS, "no such team");
                    return accounts.listApiKeys(team.scope().userId(), team.teamId());
                })
                .handle(Teams.INVITE, invitation -> teams.invite(invitation.scope(), invitation.teamId(), invitation.role(),
                        invitation.email(), invitation.tokenHash(), invitation.expiresAt()))
                .handle(Teams.INVITATIONS, team -> teams.listInvitations(team.scope(), team.teamId()))
                .handle(Teams.REVOKE_INVITATION, invitation -> teams.revokeInvitation(invitation.scope(), invitation.teamId(),
                        invitation.invitationId()))
                .handle(Teams.PEEK_INVITATION, invitation -> teams.peekInvitation(invitation.tokenHash()))
                .handle(Teams.ACCEPT_INVITATION, acceptance -> teams.acceptInvitation(acceptance.tokenHash(), acceptance.userId()))
                .handle(Teams.REGISTER_BY_INVITATION, registration -> teams.registerByInvitation(registration.tokenHash(),
                        registration.email(), registration.passwordHash()));
    }

    private static int clamp(int limit, int most) {
        return limit <= 0 ? most : Math.min(most, limit);
    }

    /**
     * Tells every auth process what no longer holds, after the change was committed. Best effort: the caches'
     * periodic refresh catches anything missed.
     */
    private static <T> T announce(Connection nats, T answer, Function<T, Object> notice) {
        nats.publish(Subjects.AUTH_CHANGES, Json.bytes(notice.apply(answer)));
        return answer;
    }
}
