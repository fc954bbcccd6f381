package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hashes;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Mail;
import io.hitkeep.core.Role;
import io.hitkeep.core.Scoped;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Teams over HTTP, mounted at {@code /api}: list and create teams, read one with its members, rename it,
 * change a member's role, remove a member (or leave), invite by link, list and revoke invitations, the
 * team's API keys and audit log. Who may do what is decided by the writer's team rules (see
 * {@code io.hitkeep.core.Role}); this class validates input, mints invitation tokens and records what
 * happened. The invitation link itself is answered here once and never stored (only its SHA-256).
 * Also the two routes an invitee reaches without an account: {@code GET /api/invitations/{token}} and
 * {@code POST /api/invitations/{token}/register}. Thread-safe.
 */
public final class TeamRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final Duration INVITATION_LIFETIME = Duration.ofDays(7);
    private static final int AUDIT_LIMIT = 200;

    /** An invitation just made, with its link (shown only now) and whether it also went by mail. */
    record InvitationLink(int id, int teamId, Role role, String email, String expiresAt, String token, String link,
                          boolean mailed) {}

    /** What an invitation link offers, as the page that accepts it shows it. */
    record InvitationOffer(String teamName, Role role, String email, String invitedBy, String expiresAt) {}

    /** A user made from an invitation, in the team they joined. */
    record RegisteredUser(long id, String email, int teamId, Role role) {}

    private final StoreClient store;
    private final ApiKeys apiKeys;
    private final SignInGuard guard;
    private final SessionCookies cookies;
    private final AuditTrail auditTrail;
    private final PasswordHasher passwords = new PasswordHasher();
    private final Clock clock;
    private final PublicUrl publicUrl;
    private final boolean mailConfigured;

    public TeamRoutes(Settings settings, StoreClient store) {
        this.store = store;
        this.apiKeys = ApiKeys.of(store);
        this.clock = Clock.systemUTC();
        this.guard = new SignInGuard(settings, clock);
        this.cookies = new SessionCookies(settings, new SessionTokens(settings));
        this.auditTrail = new AuditTrail(store, guard);
        this.publicUrl = new PublicUrl(settings);
        this.mailConfigured = Mail.configured(settings);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/teams", this::list)
                .post("/teams", this::create)
                .post("/teams/join", this::join)
                .get("/teams/{team}", this::team)
                .patch("/teams/{team}", this::rename)
                .patch("/teams/{team}/members/{member}", this::changeRole)
                .delete("/teams/{team}/members/{member}", this::removeMember)
                .post("/teams/{team}/invitations", this::invite)
                .get("/teams/{team}/invitations", this::invitations)
                .delete("/teams/{team}/invitations/{invitation}", this::revokeInvitation)
                .get("/teams/{team}/api-keys", this::apiKeys)
                .get("/teams/{team}/audit", this::audit)
                .get("/invitations/{token}", this::peek)
                .post("/invitations/{token}/register", this::register);
    }

    private void list(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Teams.LIST, new Scoped(Caller.of(request).scope())).teams());
    }

    private void create(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        Teams.CreatedTeam team = store.call(Teams.CREATE, new Teams.NewTeam(caller.scope(), Json.text(body(request), "name")));
        auditTrail.record(request, caller.userId(), team.id(), "team_created", team.name());
        HttpJson.send(response, 201, team);
    }

    private void team(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Teams.GET, new Teams.TeamRef(Caller.of(request).scope(), teamId(request))));
    }

    private void rename(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int team = teamId(request);
        Teams.RenamedTeam renamed = store.call(Teams.RENAME, new Teams.TeamName(caller.scope(), team,
                Json.text(body(request), "name")));
        auditTrail.record(request, caller.userId(), team, "team_renamed", renamed.name());
        HttpJson.send(response, 200, renamed);
    }

    private void changeRole(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int team = teamId(request);
        long member = memberId(request);
        Role role = role(body(request), null);
        Teams.RoleChange changed = store.call(Teams.SET_ROLE, new Teams.MemberRole(caller.scope(), team, member, role));
        apiKeys.forgetUser(member);
        auditTrail.record(request, caller.userId(), team, "role_changed",
                "user " + member + ": " + changed.previousRole().label() + " -> " + role.label());
        HttpJson.send(response, 200, changed);
    }

    private void removeMember(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int team = teamId(request);
        long member = memberId(request);
        Teams.RemovedMember removed = store.call(Teams.REMOVE_MEMBER, new Teams.MemberRef(caller.scope(), team, member));
        apiKeys.forgetUser(member);
        auditTrail.record(request, caller.userId(), team, member == caller.userId() ? "team_left" : "member_removed",
                "user " + member + " (" + removed.role().label() + ")");
        HttpJson.send(response, 200, removed);
    }

    /**
     * Invites someone with a role (default member), optionally only a given e-mail address: answers the
     * link, which holds a 32-byte random token and is shown only now.
     */
    private void invite(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int team = teamId(request);
        JsonNode body = body(request);
        Role role = role(body, Role.MEMBER);
        String email = Json.text(body, "email").strip().toLowerCase(Locale.ROOT);
        if (!email.isEmpty() && (email.indexOf('@') <= 0 || email.length() > 254 || email.contains(" "))) {
            throw DomainError.invalid("email must be an e-mail address (or left out for anyone with the link)");
        }
        String token = RandomTokens.next();
        long expires = clock.instant().plus(INVITATION_LIFETIME).getEpochSecond();
        Teams.CreatedInvitation invitation = store.call(Teams.INVITE, new Teams.NewInvitation(caller.scope(), team,
                role, email, Hashes.sha256Hex(token), expires));
        auditTrail.record(request, caller.userId(), team, "member_invited",
                (email.isEmpty() ? "anyone with the link" : email) + " as " + role.label());
        HttpJson.send(response, 201, new InvitationLink(invitation.id(), invitation.teamId(), invitation.role(),
                invitation.email(), invitation.expiresAt(), token, publicUrl.base(request) + "/invite/" + token,
                mailInvitation(request, email, token)));
    }

    /**
     * With SMTP set and an address given, the link also goes by mail (through the outbox: the answer does not
     * wait for the SMTP server). Its base is one we trust (HITKEEP_PUBLIC_URL or a known Host), since the mail
     * goes to someone other than whoever sent the request.
     */
    private boolean mailInvitation(ServerRequest request, String email, String token) {
        Optional<String> base = publicUrl.trustedBase(request);
        if (!mailConfigured || email.isEmpty() || base.isEmpty()) {
            return false;
        }
        Teams.OpenInvitation offer = store.call(Teams.PEEK_INVITATION, new Teams.InvitationToken(Hashes.sha256Hex(token)));
        store.call(Mail.QUEUE, new Mail.Letter("invitation", email, Map.of("link", base.get() + "/invite/" + token,
                "team", offer.teamName(), "role", offer.role().label(),
                "invited_by", offer.invitedBy(), "days", Long.toString(INVITATION_LIFETIME.toDays())),
                clock.instant().plus(INVITATION_LIFETIME).getEpochSecond()));
        return true;
    }

    private void invitations(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Teams.INVITATIONS,
                new Teams.TeamRef(Caller.of(request).scope(), teamId(request))).invitations());
    }

    private void revokeInvitation(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int team = teamId(request);
        Teams.RevokedInvitation revoked = store.call(Teams.REVOKE_INVITATION, new Teams.InvitationRef(caller.scope(), team,
                HttpJson.pathId(request, "invitation", "no such invitation")));
        auditTrail.record(request, caller.userId(), team, "invitation_revoked", "invitation " + revoked.id());
        HttpJson.send(response, 200, revoked);
    }

    private void apiKeys(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Teams.API_KEYS,
                new Teams.TeamRef(Caller.sessionOnly(request).scope(), teamId(request))).keys());
    }

    private void audit(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Teams.AUDIT, new Teams.TeamAudit(Caller.sessionOnly(request).scope(),
                teamId(request), AUDIT_LIMIT)));
    }

    /** A signed-in user accepts an invitation link: {@code {"token"}}. */
    private void join(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String token = Json.text(body(request), "token").strip();
        if (token.isEmpty()) {
            throw DomainError.invalid("token is required");
        }
        Teams.Joined joined = store.call(Teams.ACCEPT_INVITATION,
                new Teams.Acceptance(Hashes.sha256Hex(token), caller.userId()));
        auditTrail.record(request, caller.userId(), joined.teamId(), "member_joined", "as " + joined.role().label());
        HttpJson.send(response, 200, joined);
    }

    /** What an invitation offers (team, role, inviter), for the page that accepts it. No session needed. */
    private void peek(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        Teams.OpenInvitation invitation = store.call(Teams.PEEK_INVITATION, new Teams.InvitationToken(token(request)));
        HttpJson.send(response, 200, new InvitationOffer(invitation.teamName(), invitation.role(), invitation.email(),
                invitation.invitedBy(), invitation.expiresAt()));
    }

    /** Creates an account from an invitation and signs it in: {@code {"email", "password"}}. */
    private void register(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = body(request);
        String email = AccountRoutes.email(body);
        String password = AccountRoutes.password(body);
        Teams.Registered joined = store.call(Teams.REGISTER_BY_INVITATION,
                new Teams.Registration(token(request), email, passwords.hash(password)));
        long userId = joined.userId();
        cookies.start(request, response, userId, 0);
        auditTrail.record(request, userId, joined.teamId(), "member_joined", "new account as " + joined.role().label());
        HttpJson.send(response, 201, new AccountRoutes.UserAnswer<>(new RegisteredUser(userId, email, joined.teamId(), joined.role())));
    }


    private static String token(ServerRequest request) {
        String token = request.path().pathParameters().get("token");
        if (token.length() > 100) {
            throw DomainError.notFound("this invitation is unknown, used or expired; ask for a new one");
        }
        return Hashes.sha256Hex(token);
    }

    private static JsonNode body(ServerRequest request) {
        return HttpJson.object(request, BODY_LIMIT);
    }

    private static Role role(JsonNode body, Role fallback) {
        String name = Json.text(body, "role");
        if (name.isBlank() && fallback != null) {
            return fallback;
        }
        return Role.parse(name).orElseThrow(() -> DomainError.invalid("role must be member, admin or owner"));
    }

    private static int teamId(ServerRequest request) {
        return HttpJson.pathId(request, "team", "no such team");
    }

    private static long memberId(ServerRequest request) {
        return HttpJson.pathId(request, "member", "no such member");
    }
}
