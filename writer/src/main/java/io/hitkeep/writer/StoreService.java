package io.hitkeep.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;
import io.hitkeep.core.StatsRequest;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.service.Service;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;

import java.io.IOException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The writer's answers to store requests ({@code hk.store.<operation>}) as a NATS micro-service: stats
 * for the query API, users and keys for auth, sites for both. Each request runs on its own virtual
 * thread, so a slow stats query does not hold up a login. Answers are JSON; a failure is
 * {@code {"error": ..., "status": ...}}. Thread-safe.
 */
final class StoreService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreService.class.getName());

    private final Connection nats;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Service service;

    StoreService(Connection nats, Sites sites, Teams teams, ShareLinks shareLinks, Accounts accounts, AccountSecurity security,
                 Stats stats, Passkeys passkeys) {
        this.nats = nats;
        Map<String, Function<JsonNode, Object>> operations = new LinkedHashMap<>();
        operations.put("stats", request -> {
            StatsRequest query = Json.MAPPER.convertValue(request, StatsRequest.class);
            JsonNode site = sites.get(Teams.Scope.of(request), query.siteId(), Role.MEMBER);
            return stats.answer(query, ZoneId.of(site.get("timezone").asText()));
        });
        operations.put("stats.live", request -> {
            int siteId = sites.get(Teams.Scope.of(request), request.path("site_id").asInt(), Role.MEMBER).get("id").asInt();
            return Json.object().put("live_visitors", stats.liveVisitors(siteId));
        });
        operations.put("sites.list", request -> Json.object().set("sites", sites.list(Teams.Scope.of(request))));
        operations.put("sites.get", request -> sites.get(Teams.Scope.of(request), request.path("site_id").asInt(), Role.MEMBER));
        operations.put("sites.create", request -> sites.create(Teams.Scope.of(request), request.path("team_id").asInt(0),
                Json.text(request, "domain"), Json.text(request, "name"), Json.text(request, "timezone")));
        operations.put("sites.update", request -> sites.update(Teams.Scope.of(request),
                request.path("site_id").asInt(), request.path("changes")));
        operations.put("sites.delete", request -> sites.delete(Teams.Scope.of(request), request.path("site_id").asInt()));
        operations.put("share-links.create", request -> shareLinks.create(Teams.Scope.of(request), request.path("site_id").asInt(),
                Json.text(request, "label"), Json.text(request, "token_hash"), Json.text(request, "password_hash")));
        operations.put("share-links.list", request -> shareLinks.list(Teams.Scope.of(request), request.path("site_id").asInt()));
        operations.put("share-links.revoke", request -> shareLinks.revoke(Teams.Scope.of(request), request.path("site_id").asInt(),
                request.path("link_id").asInt()));
        operations.put("share-links.find", request -> shareLinks.find(Json.text(request, "token_hash")));
        // The link is looked up again on every query, so a revoked link stops answering at once.
        operations.put("share.stats", request -> {
            JsonNode link = shareLinks.find(Json.text(request, "token_hash"));
            StatsRequest query = Json.MAPPER.convertValue(request, StatsRequest.class);
            StatsRequest forLink = new StatsRequest(0, link.get("site_id").asInt(), query.from(), query.to(),
                    query.filters(), query.limit(), query.parts());
            return stats.answer(forLink, ZoneId.of(link.get("timezone").asText()));
        });
        operations.put("teams.list", request -> teams.list(Teams.Scope.of(request)));
        operations.put("teams.create", request -> teams.create(Teams.Scope.of(request), Json.text(request, "name")));
        operations.put("teams.get", request -> teams.get(Teams.Scope.of(request), request.path("team_id").asInt()));
        operations.put("teams.rename", request -> teams.rename(Teams.Scope.of(request), request.path("team_id").asInt(),
                Json.text(request, "name")));
        operations.put("teams.set-role", request -> teams.setRole(Teams.Scope.of(request), request.path("team_id").asInt(),
                request.path("member_id").asLong(), role(request)));
        operations.put("teams.remove-member", request -> teams.removeMember(Teams.Scope.of(request),
                request.path("team_id").asInt(), request.path("member_id").asLong()));
        operations.put("teams.audit", request -> teams.audit(Teams.Scope.of(request), request.path("team_id").asInt(),
                Math.min(200, Math.max(1, request.path("limit").asInt(100)))));
        operations.put("teams.api-keys", request -> {
            Teams.Scope scope = Teams.Scope.of(request);
            int team = request.path("team_id").asInt();
            teams.require(scope, team, Role.OWNER, "no such team");
            return Json.object().set("keys", accounts.listApiKeys(scope.userId(), team));
        });
        operations.put("invitations.create", request -> teams.invite(Teams.Scope.of(request), request.path("team_id").asInt(),
                role(request), Json.text(request, "email"), Json.text(request, "token_hash"), request.path("expires_at").asLong()));
        operations.put("invitations.list", request -> teams.listInvitations(Teams.Scope.of(request), request.path("team_id").asInt()));
        operations.put("invitations.revoke", request -> teams.revokeInvitation(Teams.Scope.of(request),
                request.path("team_id").asInt(), request.path("invitation_id").asInt()));
        operations.put("invitations.peek", request -> teams.peekInvitation(Json.text(request, "token_hash")));
        operations.put("invitations.accept", request -> teams.acceptInvitation(Json.text(request, "token_hash"),
                request.path("user_id").asLong()));
        operations.put("invitations.register", request -> teams.registerByInvitation(Json.text(request, "token_hash"),
                Json.text(request, "email"), Json.text(request, "password_hash")));
        operations.put("users.count", request -> Json.object().put("count", accounts.countUsers()));
        operations.put("users.create-first", request -> accounts.createFirstUser(Json.text(request, "email"),
                Json.text(request, "password_hash")));
        operations.put("users.find-by-email", request -> accounts.findUserByEmail(Json.text(request, "email")));
        operations.put("users.get", request -> accounts.user(request.path("id").asLong()));
        operations.put("api-keys.create", request -> accounts.createApiKey(request.path("user_id").asLong(),
                Json.text(request, "name"), Json.text(request, "key_hash"), Json.text(request, "prefix"),
                request.path("team_id").asInt(0), request.hasNonNull("role") ? role(request) : null));
        operations.put("api-keys.find", request -> accounts.findApiKey(Json.text(request, "key_hash")));
        operations.put("api-keys.list", request -> Json.object().set("keys", accounts.listApiKeys(request.path("user_id").asLong(), 0)));
        operations.put("api-keys.revoke", request -> accounts.revokeApiKey(Teams.Scope.of(request), request.path("id").asLong()));
        operations.put("users.credentials", request -> security.credentials(request.path("id").asLong()));
        operations.put("users.set-password", request -> security.setPassword(request.path("id").asLong(),
                Json.text(request, "password_hash")));
        operations.put("password-reset.begin", request -> security.beginReset(Json.text(request, "email"),
                Json.text(request, "token_hash"), request.path("expires_at").asLong()));
        operations.put("password-reset.finish", request -> security.finishReset(Json.text(request, "token_hash"),
                Json.text(request, "password_hash")));
        operations.put("sessions.state", request -> security.sessionState());
        operations.put("sessions.revoke", request -> security.revoke(Json.text(request, "jti"),
                request.path("expires_at").asLong()));
        operations.put("sessions.sign-out-everywhere", request -> security.signOutEverywhere(request.path("user_id").asLong()));
        operations.put("totp.get", request -> security.totp(request.path("user_id").asLong()));
        operations.put("totp.begin", request -> security.beginTotp(request.path("user_id").asLong(), Json.text(request, "secret")));
        operations.put("totp.enable", request -> security.enableTotp(request.path("user_id").asLong(),
                request.path("step").asLong(), request.path("recovery_hashes")));
        operations.put("totp.disable", request -> security.disableTotp(request.path("user_id").asLong(), request.path("step").asLong()));
        operations.put("totp.use-step", request -> security.useTotpStep(request.path("user_id").asLong(), request.path("step").asLong()));
        operations.put("totp.use-recovery-code", request -> security.useRecoveryCode(request.path("user_id").asLong(),
                Json.text(request, "code_hash")));
        operations.put("audit.add", request -> security.addAudit(request.path("user_id").asLong(), Json.text(request, "event"),
                Json.text(request, "detail"), Json.text(request, "ip"), request.path("team_id").asInt(0)));
        operations.put("audit.list", request -> security.audit(request.path("user_id").asLong(),
                Math.min(100, Math.max(1, request.path("limit").asInt(100)))));
        operations.put("passkeys.handle", request -> passkeys.handle(request.path("user_id").asLong()));
        operations.put("passkeys.owner", request -> passkeys.owner(Json.text(request, "email"), Json.text(request, "user_handle")));
        operations.put("passkeys.find", request -> passkeys.find(Json.text(request, "credential_id")));
        operations.put("passkeys.add", request -> passkeys.add(request.path("user_id").asLong(),
                Json.text(request, "credential_id"), Json.text(request, "user_handle"), Json.text(request, "public_key_cose"),
                request.path("signature_count").asLong(), Json.text(request, "name")));
        operations.put("passkeys.list", request -> passkeys.list(request.path("user_id").asLong()));
        operations.put("passkeys.rename", request -> passkeys.rename(request.path("user_id").asLong(),
                request.path("id").asLong(), Json.text(request, "name")));
        operations.put("passkeys.delete", request -> passkeys.delete(request.path("user_id").asLong(), request.path("id").asLong()));
        operations.put("passkeys.use", request -> passkeys.use(Json.text(request, "credential_id"),
                request.path("signature_count").asLong()));

        var builder = Service.builder().connection(nats).name("hitkeep-store").version("1.0.0")
                .description("HitKeep writer: stats, sites and accounts");
        operations.forEach((operation, handler) -> builder.addServiceEndpoint(ServiceEndpoint.builder()
                .endpointName(operation.replace('.', '-'))
                .endpointSubject(Subjects.store(operation))
                .handler(message -> workers.execute(() -> answer(message, operation, handler)))
                .build()));
        this.service = builder.build();
    }

    private static Role role(JsonNode request) {
        return Role.parse(Json.text(request, "role"))
                .orElseThrow(() -> ApiError.badRequest("role must be member, admin or owner"));
    }

    StoreService start() {
        service.startService();
        return this;
    }

    private void answer(ServiceMessage message, String operation, Function<JsonNode, Object> handler) {
        byte[] reply;
        try {
            JsonNode request = Json.tree(message.getData());
            Object answer = handler.apply(request);
            reply = Json.bytes(answer);
            announce(operation, request, Json.MAPPER.valueToTree(answer));
        } catch (ApiError e) {
            reply = error(e.status(), e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            reply = error(400, "malformed store request");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "store request on " + message.getSubject() + " failed");
            reply = error(500, "internal error");
        }
        message.respond(nats, reply);
    }

    /**
     * Tells every auth process what no longer holds (see {@link Subjects#AUTH_CHANGES}): a revoked session,
     * a user's new session epoch, a revoked API key, a person whose keys' roles may have changed. Best
     * effort: the caches' periodic refresh catches anything missed.
     */
    private void announce(String operation, JsonNode request, JsonNode answer) {
        var notice = switch (operation) {
            case "sessions.revoke" -> Json.object().put("revoked", Json.text(request, "jti"))
                    .put("expires_at", request.path("expires_at").asLong());
            case "sessions.sign-out-everywhere", "users.set-password" -> Json.object()
                    .put("user_id", request.path(operation.equals("users.set-password") ? "id" : "user_id").asLong())
                    .put("session_epoch", answer.path("session_epoch").asLong());
            case "password-reset.finish" -> Json.object().put("user_id", answer.path("user_id").asLong())
                    .put("session_epoch", answer.path("session_epoch").asLong());
            case "api-keys.revoke" -> Json.object().put("api_key", answer.path("id").asLong());
            case "teams.set-role", "teams.remove-member" -> Json.object().put("keys_of", request.path("member_id").asLong());
            default -> null;
        };
        if (notice != null) {
            nats.publish(Subjects.AUTH_CHANGES, Json.bytes(notice));
        }
    }

    private static byte[] error(int status, String message) {
        return Json.bytes(Json.object().put("error", message).put("status", status));
    }

    @Override
    public void close() {
        service.stop();
        workers.close();
    }
}
