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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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

    public record NewTeam(Scope scope, String name) {
    }

    public record TeamRef(Scope scope, int teamId) {
    }

    public record TeamName(Scope scope, int teamId, String name) {
    }

    public record MemberRole(Scope scope, int teamId, long memberId, Role role) {
    }

    public record MemberRef(Scope scope, int teamId, long memberId) {
    }

    public record TeamAudit(Scope scope, int teamId, int limit) {
    }

    /** An invitation whose token auth made and hashed; {@code email} empty: anyone with the link. */
    public record NewInvitation(Scope scope, int teamId, Role role, String email, String tokenHash, long expiresAt) {
    }

    public record InvitationRef(Scope scope, int teamId, long invitationId) {
    }

    public record InvitationToken(String tokenHash) {
    }

    public record Acceptance(String tokenHash, long userId) {
    }

    public record Registration(String tokenHash, String email, String passwordHash) {
    }

    private static final int NAME_LIMIT = 100;

    private final Database database;

    public Teams(Database database) {
        this.database = database;
    }

    /** The caller's role in the team, or empty when they are not a member (or their key is for another team). */
    public Optional<Role> roleIn(Scope scope, int teamId) {
        if (scope.viaKey() && scope.keyTeamId() != teamId) {
            return Optional.empty();
        }
        Optional<Role> membership = database.read(sql -> memberRole(sql.connection(), teamId, scope.userId()));
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
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT team_id, role FROM team_members WHERE user_id = ? ORDER BY team_id")) {
                select.setLong(1, scope.userId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (Role.parse(rows.getString(2)).orElse(Role.MEMBER).atLeast(needed)) {
                            return rows.getInt(1);
                        }
                    }
                }
            }
            throw DomainError.forbidden("you are not " + needed.label() + " of any team; name a team_id");
        });
    }

    /** The caller's teams with their role in each. */
    ObjectNode list(Scope scope) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            ArrayNode teams = Json.MAPPER.createArrayNode();
            try (PreparedStatement select = connection.prepareStatement("SELECT t.id, t.name, m.role, "
                    + "(SELECT count(*) FROM team_members x WHERE x.team_id = t.id), "
                    + "(SELECT count(*) FROM sites s WHERE s.team_id = t.id) "
                    + "FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ? ORDER BY t.id")) {
                select.setLong(1, scope.userId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (scope.viaKey() && rows.getInt(1) != scope.keyTeamId()) {
                            continue;
                        }
                        Role role = Role.parse(rows.getString(3)).orElse(Role.MEMBER);
                        teams.addObject().put("id", rows.getInt(1)).put("name", rows.getString(2))
                                .put("role", (scope.viaKey() ? role.min(scope.keyRole()) : role).label())
                                .put("members", rows.getLong(4)).put("sites", rows.getLong(5));
                    }
                }
            }
            ObjectNode answer = Json.object();
            answer.set("teams", teams);
            return answer;
        });
    }

    ObjectNode create(Scope scope, String name) {
        Access.requireMeans(scope, Access.Action.CREATE_TEAM);
        String label = teamName(name);
        return database.write("create team", sql -> {
            Connection connection = sql.connection();
            int id = insertTeam(connection, label, scope.userId());
            return Json.object().put("id", id).put("name", label).put("role", Role.OWNER.label());
        });
    }

    /** A new team with {@code userId} as its owner, inside the caller's transaction. */
    public static int insertTeam(Connection connection, String name, long userId) throws SQLException {
        int id;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO teams (name, created_by) VALUES (?, ?) RETURNING id")) {
            insert.setString(1, name);
            insert.setLong(2, userId);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                id = row.getInt(1);
            }
        }
        join(connection, id, userId, Role.OWNER);
        return id;
    }

    /** The team, its members and (for admins and owners) its open invitations. */
    ObjectNode get(Scope scope, int teamId) {
        Role role = require(scope, teamId, Access.Action.READ_TEAM, "no such team");
        return database.read(sql -> {
            Connection connection = sql.connection();
            ObjectNode team = Json.object();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, name FROM teams WHERE id = ?")) {
                select.setInt(1, teamId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such team");
                    }
                    team.put("id", row.getInt(1)).put("name", row.getString(2)).put("role", role.label());
                }
            }
            ArrayNode members = team.putArray("members");
            try (PreparedStatement select = connection.prepareStatement("SELECT u.id, u.email, m.role, "
                    + "strftime(m.joined_at, '%Y-%m-%dT%H:%M:%SZ') FROM team_members m JOIN users u ON u.id = m.user_id "
                    + "WHERE m.team_id = ? ORDER BY m.joined_at, u.id")) {
                select.setInt(1, teamId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        members.addObject().put("user_id", rows.getLong(1)).put("email", rows.getString(2))
                                .put("role", rows.getString(3)).put("joined_at", rows.getString(4));
                    }
                }
            }
            if (role.atLeast(Role.ADMIN)) {
                team.set("invitations", invitations(connection, teamId));
            }
            return team;
        });
    }

    ObjectNode rename(Scope scope, int teamId, String name) {
        require(scope, teamId, Access.Action.RENAME_TEAM, "no such team");
        String label = teamName(name);
        return database.write("rename team", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement update = connection.prepareStatement("UPDATE teams SET name = ? WHERE id = ?")) {
                update.setString(1, label);
                update.setInt(2, teamId);
                update.execute();
            }
            return Json.object().put("id", teamId).put("name", label);
        });
    }

    /** Gives a member another role (owners only); the last owner cannot step down. */
    ObjectNode setRole(Scope scope, int teamId, long userId, Role role) {
        require(scope, teamId, Access.Action.CHANGE_ROLES, "no such team");
        return database.write("change role", sql -> {
            Connection connection = sql.connection();
            Role current = memberRole(connection, teamId, userId).orElseThrow(() -> DomainError.notFound("no such member"));
            if (current == Role.OWNER && role != Role.OWNER && owners(connection, teamId) == 1) {
                throw DomainError.conflict("a team needs an owner: make someone else owner first");
            }
            updateRole(connection, teamId, userId, role);
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
            Connection connection = sql.connection();
            Role current = memberRole(connection, teamId, userId).orElseThrow(() -> DomainError.notFound("no such member"));
            if (current == Role.OWNER && owners(connection, teamId) == 1) {
                throw DomainError.conflict("a team needs an owner: make someone else owner first");
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM team_members WHERE team_id = ? AND user_id = ?")) {
                delete.setInt(1, teamId);
                delete.setLong(2, userId);
                delete.execute();
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM api_keys WHERE team_id = ? AND user_id = ?")) {
                delete.setInt(1, teamId);
                delete.setLong(2, userId);
                delete.execute();
            }
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
            Connection connection = sql.connection();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO invitations "
                    + "(team_id, role, email, token_hash, created_by, expires_at) VALUES (?, ?, ?, ?, ?, to_timestamp(?)::TIMESTAMP) RETURNING id")) {
                insert.setInt(1, teamId);
                insert.setString(2, role.label());
                insert.setString(3, email);
                insert.setString(4, tokenHash);
                insert.setLong(5, scope.userId());
                insert.setLong(6, expiresAtSeconds);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return Json.object().put("id", row.getInt(1)).put("team_id", teamId).put("role", role.label())
                            .put("email", email).put("expires_at", Instant.ofEpochSecond(expiresAtSeconds).toString());
                }
            }
        });
    }

    ObjectNode listInvitations(Scope scope, int teamId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return database.read(sql -> {
            Connection connection = sql.connection();
            ObjectNode answer = Json.object();
            answer.set("invitations", invitations(connection, teamId));
            return answer;
        });
    }

    ObjectNode revokeInvitation(Scope scope, int teamId, long invitationId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return database.write("revoke invitation", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM invitations WHERE id = ? AND team_id = ? AND accepted_at IS NULL RETURNING id")) {
                delete.setLong(1, invitationId);
                delete.setInt(2, teamId);
                try (ResultSet row = delete.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such open invitation");
                    }
                }
            }
            return Json.object().put("id", invitationId).put("revoked", true);
        });
    }

    /** What an invitation link offers, for the page that accepts it: 404 once used, revoked or expired. */
    ObjectNode peekInvitation(String tokenHash) {
        return database.read(sql -> openInvitation(sql.connection(), tokenHash));
    }

    /** Joins the signed-in user to the invitation's team; a member keeps the higher of both roles. */
    ObjectNode acceptInvitation(String tokenHash, long userId) {
        return database.write("accept invitation", sql -> {
            Connection connection = sql.connection();
            ObjectNode invitation = openInvitation(connection, tokenHash);
            String email = userEmail(connection, userId);
            String meantFor = invitation.get("email").asText();
            if (!meantFor.isEmpty() && !meantFor.equalsIgnoreCase(email)) {
                throw DomainError.forbidden("this invitation is for another e-mail address");
            }
            return accept(connection, invitation, userId);
        });
    }

    /** Creates an account from an invitation link and joins the team, in one transaction. */
    ObjectNode registerByInvitation(String tokenHash, String email, String passwordHash) {
        return database.write("register by invitation", sql -> {
            Connection connection = sql.connection();
            ObjectNode invitation = openInvitation(connection, tokenHash);
            String meantFor = invitation.get("email").asText();
            if (!meantFor.isEmpty() && !meantFor.equalsIgnoreCase(email)) {
                throw DomainError.forbidden("this invitation is for another e-mail address");
            }
            long userId = Accounts.insertUser(connection, email, passwordHash);
            ObjectNode joined = accept(connection, invitation, userId);
            joined.put("email", email);
            return joined;
        });
    }

    /** Security events of the team: its own (keys, roles, invitations) and its members' sign-ins and factors. */
    ObjectNode audit(Scope scope, int teamId, int limit) {
        require(scope, teamId, Access.Action.READ_TEAM_AUDIT, "no such team");
        return database.read(sql -> {
            Connection connection = sql.connection();
            ArrayNode events = Json.MAPPER.createArrayNode();
            try (PreparedStatement select = connection.prepareStatement("SELECT epoch_ms(a.time), a.event, a.detail, "
                    + "a.ip, a.user_id, coalesce(u.email, '') FROM audit_events a LEFT JOIN users u ON u.id = a.user_id "
                    + "WHERE a.team_id = ? OR (a.team_id IS NULL AND a.user_id IN "
                    + "(SELECT user_id FROM team_members WHERE team_id = ?)) ORDER BY a.time DESC, a.rowid DESC LIMIT ?")) {
                select.setInt(1, teamId);
                select.setInt(2, teamId);
                select.setInt(3, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        events.addObject().put("time", Instant.ofEpochMilli(row.getLong(1)).toString())
                                .put("event", row.getString(2)).put("detail", row.getString(3)).put("ip", row.getString(4))
                                .put("user_id", row.getLong(5)).put("email", row.getString(6));
                    }
                }
            }
            ObjectNode answer = Json.object();
            answer.set("events", events);
            return answer;
        });
    }

    private static ObjectNode accept(Connection connection, ObjectNode invitation, long userId) throws SQLException {
        int teamId = invitation.get("team_id").asInt();
        Role offered = Role.parse(invitation.get("role").asText()).orElse(Role.MEMBER);
        Optional<Role> current = memberRole(connection, teamId, userId);
        Role role = current.map(existing -> existing.atLeast(offered) ? existing : offered).orElse(offered);
        if (current.isEmpty()) {
            join(connection, teamId, userId, role);
        } else if (role != current.get()) {
            updateRole(connection, teamId, userId, role);
        }
        try (PreparedStatement used = connection.prepareStatement(
                "UPDATE invitations SET accepted_by = ?, accepted_at = current_timestamp WHERE id = ?")) {
            used.setLong(1, userId);
            used.setInt(2, invitation.get("id").asInt());
            used.execute();
        }
        return Json.object().put("team_id", teamId).put("team_name", invitation.get("team_name").asText())
                .put("user_id", userId).put("role", role.label());
    }

    private static ObjectNode openInvitation(Connection connection, String tokenHash) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT i.id, i.team_id, t.name, i.role, i.email, "
                + "coalesce(u.email, ''), epoch(i.expires_at)::BIGINT FROM invitations i JOIN teams t ON t.id = i.team_id "
                + "LEFT JOIN users u ON u.id = i.created_by "
                + "WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.expires_at > now()::TIMESTAMP")) {
            select.setString(1, tokenHash);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw DomainError.notFound("this invitation is unknown, used or expired; ask for a new one");
                }
                return Json.object().put("id", row.getInt(1)).put("team_id", row.getInt(2))
                        .put("team_name", row.getString(3)).put("role", row.getString(4)).put("email", row.getString(5))
                        .put("invited_by", row.getString(6))
                        .put("expires_at", Instant.ofEpochSecond(row.getLong(7)).toString());
            }
        }
    }

    private static ArrayNode invitations(Connection connection, int teamId) throws SQLException {
        ArrayNode invitations = Json.MAPPER.createArrayNode();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, role, email, "
                + "strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(expires_at, '%Y-%m-%dT%H:%M:%SZ') "
                + "FROM invitations WHERE team_id = ? AND accepted_at IS NULL AND expires_at > now()::TIMESTAMP ORDER BY id")) {
            select.setInt(1, teamId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    invitations.addObject().put("id", rows.getInt(1)).put("role", rows.getString(2))
                            .put("email", rows.getString(3)).put("created_at", rows.getString(4))
                            .put("expires_at", rows.getString(5));
                }
            }
        }
        return invitations;
    }

    static Optional<Role> memberRole(Connection connection, int teamId, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT role FROM team_members WHERE team_id = ? AND user_id = ?")) {
            select.setInt(1, teamId);
            select.setLong(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Role.parse(row.getString(1)) : Optional.empty();
            }
        }
    }

    private static void updateRole(Connection connection, int teamId, long userId, Role role) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ?")) {
            update.setString(1, role.label());
            update.setInt(2, teamId);
            update.setLong(3, userId);
            update.execute();
        }
    }

    private static void join(Connection connection, int teamId, long userId, Role role) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)")) {
            insert.setInt(1, teamId);
            insert.setLong(2, userId);
            insert.setString(3, role.label());
            insert.execute();
        }
    }

    private static long owners(Connection connection, int teamId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT count(*) FROM team_members WHERE team_id = ? AND role = 'owner'")) {
            select.setInt(1, teamId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static String userEmail(Connection connection, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT email FROM users WHERE id = ?")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw DomainError.notFound("no such user");
                }
                return row.getString(1);
            }
        }
    }

    private static String teamName(String name) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > NAME_LIMIT) {
            throw DomainError.invalid("name is required (at most " + NAME_LIMIT + " characters)");
        }
        return label;
    }
}
