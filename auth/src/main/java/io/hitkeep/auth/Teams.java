package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.Scoped;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;

import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Teams, their members and roles, and invitations: the one place that decides what a caller may do with a
 * team's sites, keys and people. Every store operation on team data resolves the caller's {@link Role}
 * here; a caller who is not a member gets a 404 (nothing tells them the team exists), a member without the
 * role gets a 403. An API key acts only inside its own team, with the weaker of its own role and its
 * owner's current one, so demoting or removing a person also limits their keys at once. Thread-safe.
 */
public final class Teams {
    public static final StoreOperation<Scoped, JsonNode> LIST = StoreOperation.of("teams.list", Scoped.class, JsonNode.class);
    public static final StoreOperation<NewTeam, JsonNode> CREATE = StoreOperation.of("teams.create", NewTeam.class, JsonNode.class);
    public static final StoreOperation<TeamRef, JsonNode> GET = StoreOperation.of("teams.get", TeamRef.class, JsonNode.class);
    public static final StoreOperation<TeamName, JsonNode> RENAME = StoreOperation.of("teams.rename", TeamName.class, JsonNode.class);
    public static final StoreOperation<MemberRole, JsonNode> SET_ROLE =
            StoreOperation.of("teams.set-role", MemberRole.class, JsonNode.class);
    public static final StoreOperation<MemberRef, JsonNode> REMOVE_MEMBER =
            StoreOperation.of("teams.remove-member", MemberRef.class, JsonNode.class);
    public static final StoreOperation<TeamAudit, JsonNode> AUDIT = StoreOperation.of("teams.audit", TeamAudit.class, JsonNode.class);
    public static final StoreOperation<TeamRef, JsonNode> API_KEYS = StoreOperation.of("teams.api-keys", TeamRef.class, JsonNode.class);
    public static final StoreOperation<NewInvitation, JsonNode> INVITE =
            StoreOperation.of("invitations.create", NewInvitation.class, JsonNode.class);
    public static final StoreOperation<TeamRef, JsonNode> INVITATIONS =
            StoreOperation.of("invitations.list", TeamRef.class, JsonNode.class);
    public static final StoreOperation<InvitationRef, JsonNode> REVOKE_INVITATION =
            StoreOperation.of("invitations.revoke", InvitationRef.class, JsonNode.class);
    public static final StoreOperation<InvitationToken, JsonNode> PEEK_INVITATION =
            StoreOperation.of("invitations.peek", InvitationToken.class, JsonNode.class);
    public static final StoreOperation<Acceptance, JsonNode> ACCEPT_INVITATION =
            StoreOperation.of("invitations.accept", Acceptance.class, JsonNode.class);
    public static final StoreOperation<Registration, JsonNode> REGISTER_BY_INVITATION =
            StoreOperation.of("invitations.register", Registration.class, JsonNode.class);

    public record NewTeam(Scope scope, String name) {}

    public record TeamRef(Scope scope, int teamId) {}

    public record TeamName(Scope scope, int teamId, String name) {}

    public record MemberRole(Scope scope, int teamId, long memberId, Role role) {}

    public record MemberRef(Scope scope, int teamId, long memberId) {}

    public record TeamAudit(Scope scope, int teamId, int limit) {}

    /** An invitation whose token auth made and hashed; {@code email} empty: anyone with the link. */
    public record NewInvitation(Scope scope, int teamId, Role role, String email, String tokenHash, long expiresAt) {}

    public record InvitationRef(Scope scope, int teamId, long invitationId) {}

    public record InvitationToken(String tokenHash) {}

    public record Acceptance(String tokenHash, long userId) {}

    public record Registration(String tokenHash, String email, String passwordHash) {}

    private static final int NAME_LIMIT = 100;

    /** The statements of {@code sql/teams.sql}, each named there like its constant ({@code Query.ROLE_OF_MEMBER}: {@code role-of-member}). */
    private enum Query implements SqlFile.Named {
        ROLE_OF_MEMBER, MEMBERSHIPS_OF_USER, TEAMS_OF_USER, INSERT_TEAM, TEAM, MEMBERS_OF_TEAM, RENAME_TEAM,
        COUNT_OWNERS, ADD_MEMBER, CHANGE_ROLE, DELETE_MEMBERSHIP, DELETE_KEYS_OF_MEMBER, INSERT_INVITATION,
        OPEN_INVITATIONS_OF_TEAM, REVOKE_OPEN_INVITATION, OPEN_INVITATION_BY_TOKEN, MARK_INVITATION_ACCEPTED,
        EMAIL_OF_USER, TEAM_AUDIT_EVENTS;

        @Override
        public String file() {
            return "sql/teams.sql";
        }
    }

    private final Database database;

    public Teams(Database database) {
        this.database = database;
    }

    /** The caller's role in the team, or empty when they are not a member (or their key is for another team). */
    public Optional<Role> roleIn(Scope scope, int teamId) {
        if (scope.viaKey() && scope.keyTeamId() != teamId) {
            return Optional.empty();
        }
        Optional<Role> membership = database.read(sql -> memberRole(sql, teamId, scope.userId()));
        return scope.viaKey() ? membership.map(role -> role.min(scope.keyRole())) : membership;
    }

    /** The caller's role in the team when {@link Access} lets them do the action; else its refusal. */
    public Role require(Scope scope, int teamId, Access.Action action, String notFound) {
        return Access.require(scope, action, roleIn(scope, teamId), notFound);
    }

    /** The team a request without {@code team_id} means: the caller's first team where they have the role. */
    public int defaultTeam(Scope scope, Role needed) {
        if (scope.viaKey()) {
            return scope.keyTeamId();
        }
        return database.read(sql -> sql.list(Query.MEMBERSHIPS_OF_USER,
                        row -> Map.entry(row.getInt(1), Role.parse(row.getString(2)).orElse(Role.MEMBER)), "user_id", scope.userId())
                .stream().filter(membership -> membership.getValue().atLeast(needed)).findFirst().map(Map.Entry::getKey)
                .orElseThrow(() -> DomainError.forbidden("you are not " + needed.label() + " of any team; name a team_id")));
    }

    /** The caller's teams with their role in each. */
    ObjectNode list(Scope scope) {
        List<ObjectNode> teams = database.read(sql -> sql.list(Query.TEAMS_OF_USER, row -> {
            Role role = Role.parse(row.getString(3)).orElse(Role.MEMBER);
            return Json.object().put("id", row.getInt(1)).put("name", row.getString(2))
                    .put("role", (scope.viaKey() ? role.min(scope.keyRole()) : role).label())
                    .put("members", row.getLong(4)).put("sites", row.getLong(5));
        }, "user_id", scope.userId()));
        ObjectNode answer = Json.object();
        answer.putArray("teams").addAll(teams.stream()
                .filter(team -> !scope.viaKey() || team.get("id").asInt() == scope.keyTeamId()).toList());
        return answer;
    }

    ObjectNode create(Scope scope, String name) {
        Access.requireMeans(scope, Access.Action.CREATE_TEAM);
        String label = teamName(name);
        return database.write("create team", sql -> {
            int id = insertTeam(sql, label, scope.userId());
            return Json.object().put("id", id).put("name", label).put("role", Role.OWNER.label());
        });
    }

    /** A new team with {@code userId} as its owner, inside the caller's transaction. */
    public static int insertTeam(Sql sql, String name, long userId) throws SQLException {
        int id = (int) sql.number(Query.INSERT_TEAM, "name", name, "user_id", userId);
        join(sql, id, userId, Role.OWNER);
        return id;
    }

    /** The team, its members and (for admins and owners) its open invitations. */
    ObjectNode get(Scope scope, int teamId) {
        Role role = require(scope, teamId, Access.Action.READ_TEAM, "no such team");
        return database.read(sql -> {
            ObjectNode team = sql.first(Query.TEAM, row -> Json.object().put("id", row.getInt(1)).put("name", row.getString(2))
                    .put("role", role.label()), "team_id", teamId).orElseThrow(() -> DomainError.notFound("no such team"));
            team.putArray("members").addAll(sql.list(Query.MEMBERS_OF_TEAM, row -> Json.object().put("user_id", row.getLong(1))
                    .put("email", row.getString(2)).put("role", row.getString(3)).put("joined_at", row.getString(4)),
                    "team_id", teamId));
            if (role.atLeast(Role.ADMIN)) {
                team.set("invitations", invitations(sql, teamId));
            }
            return team;
        });
    }

    ObjectNode rename(Scope scope, int teamId, String name) {
        require(scope, teamId, Access.Action.RENAME_TEAM, "no such team");
        String label = teamName(name);
        return database.write("rename team", sql -> {
            sql.update(Query.RENAME_TEAM, "name", label, "team_id", teamId);
            return Json.object().put("id", teamId).put("name", label);
        });
    }

    /** Gives a member another role (owners only); the last owner cannot step down. */
    ObjectNode setRole(Scope scope, int teamId, long userId, Role role) {
        require(scope, teamId, Access.Action.CHANGE_ROLES, "no such team");
        return database.write("change role", sql -> {
            Role current = memberRole(sql, teamId, userId).orElseThrow(() -> DomainError.notFound("no such member"));
            if (current == Role.OWNER && role != Role.OWNER && sql.number(Query.COUNT_OWNERS, "team_id", teamId) == 1) {
                throw DomainError.conflict("a team needs an owner: make someone else owner first");
            }
            updateRole(sql, teamId, userId, role);
            return Json.object().put("team_id", teamId).put("user_id", userId).put("role", role.label())
                    .put("previous_role", current.label());
        });
    }

    /**
     * Removes a member (owners remove anyone; anyone may leave) and deletes their API keys for the team;
     * the last owner cannot leave.
     */
    ObjectNode removeMember(Scope scope, int teamId, long userId) {
        if (userId == scope.userId() && !scope.viaKey()) {
            require(scope, teamId, Access.Action.LEAVE_TEAM, "no such team");
        } else {
            require(scope, teamId, Access.Action.REMOVE_MEMBER, "no such team");
        }
        return database.write("remove member", sql -> {
            Role current = memberRole(sql, teamId, userId).orElseThrow(() -> DomainError.notFound("no such member"));
            if (current == Role.OWNER && sql.number(Query.COUNT_OWNERS, "team_id", teamId) == 1) {
                throw DomainError.conflict("a team needs an owner: make someone else owner first");
            }
            sql.update(Query.DELETE_MEMBERSHIP, "team_id", teamId, "user_id", userId);
            sql.update(Query.DELETE_KEYS_OF_MEMBER, "team_id", teamId, "user_id", userId);
            return Json.object().put("team_id", teamId).put("user_id", userId).put("removed", true)
                    .put("role", current.label());
        });
    }

    /** Records an invitation whose token (hashed by auth) the inviter passes on; admins cannot invite owners. */
    ObjectNode invite(Scope scope, int teamId, Role role, String email, String tokenHash, long expiresAtSeconds) {
        Role inviter = require(scope, teamId, Access.Action.INVITE, "no such team");
        if (!inviter.atLeast(role)) {
            throw DomainError.forbidden("you cannot invite someone with a role above your own");
        }
        return database.write("invite", sql -> {
            int id = (int) sql.number(Query.INSERT_INVITATION, "team_id", teamId, "role", role.label(), "email", email,
                    "token_hash", tokenHash, "user_id", scope.userId(), "expires_at", expiresAtSeconds);
            return Json.object().put("id", id).put("team_id", teamId).put("role", role.label())
                    .put("email", email).put("expires_at", Instant.ofEpochSecond(expiresAtSeconds).toString());
        });
    }

    ObjectNode listInvitations(Scope scope, int teamId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return database.read(sql -> {
            ObjectNode answer = Json.object();
            answer.set("invitations", invitations(sql, teamId));
            return answer;
        });
    }

    ObjectNode revokeInvitation(Scope scope, int teamId, long invitationId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return database.write("revoke invitation", sql -> {
            if (sql.first(Query.REVOKE_OPEN_INVITATION, row -> row.getLong(1), "id", invitationId, "team_id", teamId).isEmpty()) {
                throw DomainError.notFound("no such open invitation");
            }
            return Json.object().put("id", invitationId).put("revoked", true);
        });
    }

    /** What an invitation link offers, for the page that accepts it: 404 once used, revoked or expired. */
    ObjectNode peekInvitation(String tokenHash) {
        return database.read(sql -> openInvitation(sql, tokenHash));
    }

    /** Joins the signed-in user to the invitation's team; a member keeps the higher of both roles. */
    ObjectNode acceptInvitation(String tokenHash, long userId) {
        return database.write("accept invitation", sql -> {
            ObjectNode invitation = openInvitation(sql, tokenHash);
            String email = sql.first(Query.EMAIL_OF_USER, row -> row.getString(1), "user_id", userId)
                    .orElseThrow(() -> DomainError.notFound("no such user"));
            String meantFor = invitation.get("email").asText();
            if (!meantFor.isEmpty() && !meantFor.equalsIgnoreCase(email)) {
                throw DomainError.forbidden("this invitation is for another e-mail address");
            }
            return accept(sql, invitation, userId);
        });
    }

    /** Creates an account from an invitation link and joins the team, in one transaction. */
    ObjectNode registerByInvitation(String tokenHash, String email, String passwordHash) {
        return database.write("register by invitation", sql -> {
            ObjectNode invitation = openInvitation(sql, tokenHash);
            String meantFor = invitation.get("email").asText();
            if (!meantFor.isEmpty() && !meantFor.equalsIgnoreCase(email)) {
                throw DomainError.forbidden("this invitation is for another e-mail address");
            }
            long userId = Accounts.insertUser(sql, email, passwordHash);
            ObjectNode joined = accept(sql, invitation, userId);
            joined.put("email", email);
            return joined;
        });
    }

    /** Security events of the team: its own (keys, roles, invitations) and its members' sign-ins and factors. */
    ObjectNode audit(Scope scope, int teamId, int limit) {
        require(scope, teamId, Access.Action.READ_TEAM_AUDIT, "no such team");
        return database.read(sql -> {
            ObjectNode answer = Json.object();
            answer.putArray("events").addAll(sql.list(Query.TEAM_AUDIT_EVENTS, row -> Json.object()
                    .put("time", Instant.ofEpochMilli(row.getLong(1)).toString()).put("event", row.getString(2))
                    .put("detail", row.getString(3)).put("ip", row.getString(4)).put("user_id", row.getLong(5))
                    .put("email", row.getString(6)), "team_id", teamId, "limit", limit));
            return answer;
        });
    }

    private static ObjectNode accept(Sql sql, ObjectNode invitation, long userId) throws SQLException {
        int teamId = invitation.get("team_id").asInt();
        Role offered = Role.parse(invitation.get("role").asText()).orElse(Role.MEMBER);
        Optional<Role> current = memberRole(sql, teamId, userId);
        Role role = current.map(existing -> existing.atLeast(offered) ? existing : offered).orElse(offered);
        if (current.isEmpty()) {
            join(sql, teamId, userId, role);
        } else if (role != current.get()) {
            updateRole(sql, teamId, userId, role);
        }
        sql.update(Query.MARK_INVITATION_ACCEPTED, "user_id", userId, "id", invitation.get("id").asInt());
        return Json.object().put("team_id", teamId).put("team_name", invitation.get("team_name").asText())
                .put("user_id", userId).put("role", role.label());
    }

    private static ObjectNode openInvitation(Sql sql, String tokenHash) throws SQLException {
        return sql.first(Query.OPEN_INVITATION_BY_TOKEN, row -> Json.object().put("id", row.getInt(1)).put("team_id", row.getInt(2))
                        .put("team_name", row.getString(3)).put("role", row.getString(4)).put("email", row.getString(5))
                        .put("invited_by", row.getString(6)).put("expires_at", Instant.ofEpochSecond(row.getLong(7)).toString()),
                "token_hash", tokenHash)
                .orElseThrow(() -> DomainError.notFound("this invitation is unknown, used or expired; ask for a new one"));
    }

    private static ArrayNode invitations(Sql sql, int teamId) throws SQLException {
        return Json.MAPPER.createArrayNode().addAll(sql.list(Query.OPEN_INVITATIONS_OF_TEAM, row -> Json.object()
                .put("id", row.getInt(1)).put("role", row.getString(2)).put("email", row.getString(3))
                .put("created_at", row.getString(4)).put("expires_at", row.getString(5)), "team_id", teamId));
    }

    static Optional<Role> memberRole(Sql sql, int teamId, long userId) throws SQLException {
        return sql.first(Query.ROLE_OF_MEMBER, row -> row.getString(1), "team_id", teamId, "user_id", userId).flatMap(Role::parse);
    }

    private static void updateRole(Sql sql, int teamId, long userId, Role role) throws SQLException {
        sql.update(Query.CHANGE_ROLE, "role", role.label(), "team_id", teamId, "user_id", userId);
    }

    private static void join(Sql sql, int teamId, long userId, Role role) throws SQLException {
        sql.update(Query.ADD_MEMBER, "team_id", teamId, "user_id", userId, "role", role.label());
    }

    private static String teamName(String name) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > NAME_LIMIT) {
            throw DomainError.invalid("name is required (at most " + NAME_LIMIT + " characters)");
        }
        return label;
    }
}
