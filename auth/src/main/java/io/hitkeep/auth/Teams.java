package io.hitkeep.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.Scoped;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
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
    public static final StoreOperation<Scoped, TeamList> LIST = StoreOperation.of("teams.list", Scoped.class, TeamList.class);
    public static final StoreOperation<NewTeam, CreatedTeam> CREATE = StoreOperation.of("teams.create", NewTeam.class, CreatedTeam.class);
    public static final StoreOperation<TeamRef, Team> GET = StoreOperation.of("teams.get", TeamRef.class, Team.class);
    public static final StoreOperation<TeamName, RenamedTeam> RENAME =
            StoreOperation.of("teams.rename", TeamName.class, RenamedTeam.class);
    public static final StoreOperation<MemberRole, RoleChange> SET_ROLE =
            StoreOperation.of("teams.set-role", MemberRole.class, RoleChange.class);
    public static final StoreOperation<MemberRef, RemovedMember> REMOVE_MEMBER =
            StoreOperation.of("teams.remove-member", MemberRef.class, RemovedMember.class);
    public static final StoreOperation<TeamAudit, TeamAuditLog> AUDIT =
            StoreOperation.of("teams.audit", TeamAudit.class, TeamAuditLog.class);
    public static final StoreOperation<TeamRef, Accounts.ApiKeyList> API_KEYS =
            StoreOperation.of("teams.api-keys", TeamRef.class, Accounts.ApiKeyList.class);
    public static final StoreOperation<NewInvitation, CreatedInvitation> INVITE =
            StoreOperation.of("invitations.create", NewInvitation.class, CreatedInvitation.class);
    public static final StoreOperation<TeamRef, InvitationList> INVITATIONS =
            StoreOperation.of("invitations.list", TeamRef.class, InvitationList.class);
    public static final StoreOperation<InvitationRef, RevokedInvitation> REVOKE_INVITATION =
            StoreOperation.of("invitations.revoke", InvitationRef.class, RevokedInvitation.class);
    public static final StoreOperation<InvitationToken, OpenInvitation> PEEK_INVITATION =
            StoreOperation.of("invitations.peek", InvitationToken.class, OpenInvitation.class);
    public static final StoreOperation<Acceptance, Joined> ACCEPT_INVITATION =
            StoreOperation.of("invitations.accept", Acceptance.class, Joined.class);
    public static final StoreOperation<Registration, Registered> REGISTER_BY_INVITATION =
            StoreOperation.of("invitations.register", Registration.class, Registered.class);

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

    /** One of the caller's teams with their role there (a key: the weaker of its own and its owner's) and its size. */
    public record TeamSummary(int id, String name, Role role, long members, long sites) {}

    public record TeamList(List<TeamSummary> teams) {
        public TeamList {
            teams = List.copyOf(teams);
        }
    }

    public record CreatedTeam(int id, String name, Role role) {}

    /**
     * A team with the caller's role, its members and, for admins and owners only, its open invitations (left out
     * for members).
     */
    public record Team(int id, String name, Role role, List<Member> members,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Invitation> invitations) {}

    /** A member of a team; {@code joinedAt} as the database writes a timestamp. */
    public record Member(long userId, String email, Role role, String joinedAt) {}

    public record RenamedTeam(int id, String name) {}

    public record RoleChange(int teamId, long userId, Role role, Role previousRole) {}

    /** A member removed (or gone), with the role they had. */
    public record RemovedMember(int teamId, long userId, boolean removed, Role role) {}

    /** An invitation as made; {@code email} empty: anyone with the link. {@code expiresAt} is ISO-8601. */
    public record CreatedInvitation(int id, int teamId, Role role, String email, String expiresAt) {}

    /** An open invitation as the team lists it. */
    public record Invitation(int id, Role role, String email, String createdAt, String expiresAt) {}

    public record InvitationList(List<Invitation> invitations) {
        public InvitationList {
            invitations = List.copyOf(invitations);
        }
    }

    public record RevokedInvitation(long id, boolean revoked) {}

    /** What an unused, unexpired invitation link offers; {@code email} empty: anyone with the link. */
    public record OpenInvitation(int id, int teamId, String teamName, Role role, String email, String invitedBy,
                                 String expiresAt) {}

    /** A user who joined a team by an invitation, with the role they have there now. */
    public record Joined(int teamId, String teamName, long userId, Role role) {}

    /** A new account made from an invitation, and the team it joined. */
    public record Registered(int teamId, String teamName, long userId, Role role, String email) {}

    /** A security event of a team or of one of its members; {@code time} is ISO-8601. */
    public record TeamAuditEvent(String time, String event, String detail, String ip, long userId, String email) {}

    public record TeamAuditLog(List<TeamAuditEvent> events) {
        public TeamAuditLog {
            events = List.copyOf(events);
        }
    }

    private static final int NAME_LIMIT = 100;

    /** The statements of {@code sql/teams.sql}, each named there like its constant, in lower case with dashes. */
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
    TeamList list(Scope scope) {
        List<TeamSummary> teams = database.read(sql -> sql.list(Query.TEAMS_OF_USER, row -> {
            Role role = Role.parse(row.getString(3)).orElse(Role.MEMBER);
            return new TeamSummary(row.getInt(1), row.getString(2), scope.viaKey() ? role.min(scope.keyRole()) : role,
                    row.getLong(4), row.getLong(5));
        }, "user_id", scope.userId()));
        return new TeamList(teams.stream().filter(team -> !scope.viaKey() || team.id() == scope.keyTeamId()).toList());
    }

    CreatedTeam create(Scope scope, String name) {
        Access.requireMeans(scope, Access.Action.CREATE_TEAM);
        String label = teamName(name);
        return database.write("create team", sql -> {
            int id = insertTeam(sql, label, scope.userId());
            return new CreatedTeam(id, label, Role.OWNER);
        });
    }

    /** A new team with {@code userId} as its owner, inside the caller's transaction. */
    public static int insertTeam(Sql sql, String name, long userId) throws SQLException {
        int id = (int) sql.number(Query.INSERT_TEAM, "name", name, "user_id", userId);
        join(sql, id, userId, Role.OWNER);
        return id;
    }

    /** The team, its members and (for admins and owners) its open invitations. */
    Team get(Scope scope, int teamId) {
        Role role = require(scope, teamId, Access.Action.READ_TEAM, "no such team");
        return database.read(sql -> {
            String name = sql.first(Query.TEAM, row -> row.getString(2), "team_id", teamId)
                    .orElseThrow(() -> DomainError.notFound("no such team"));
            List<Member> members = sql.list(Query.MEMBERS_OF_TEAM, row -> new Member(row.getLong(1), row.getString(2),
                    Role.parse(row.getString(3)).orElse(Role.MEMBER), row.getString(4)), "team_id", teamId);
            return new Team(teamId, name, role, members, role.atLeast(Role.ADMIN) ? invitations(sql, teamId) : null);
        });
    }

    RenamedTeam rename(Scope scope, int teamId, String name) {
        require(scope, teamId, Access.Action.RENAME_TEAM, "no such team");
        String label = teamName(name);
        return database.write("rename team", sql -> {
            sql.update(Query.RENAME_TEAM, "name", label, "team_id", teamId);
            return new RenamedTeam(teamId, label);
        });
    }

    /** Gives a member another role (owners only); the last owner cannot step down. */
    RoleChange setRole(Scope scope, int teamId, long userId, Role role) {
        require(scope, teamId, Access.Action.CHANGE_ROLES, "no such team");
        return database.write("change role", sql -> {
            Role current = memberRole(sql, teamId, userId).orElseThrow(() -> DomainError.notFound("no such member"));
            if (current == Role.OWNER && role != Role.OWNER && sql.number(Query.COUNT_OWNERS, "team_id", teamId) == 1) {
                throw DomainError.conflict("a team needs an owner: make someone else owner first");
            }
            updateRole(sql, teamId, userId, role);
            return new RoleChange(teamId, userId, role, current);
        });
    }

    /**
     * Removes a member (owners remove anyone; anyone may leave) and deletes their API keys for the team;
     * the last owner cannot leave.
     */
    RemovedMember removeMember(Scope scope, int teamId, long userId) {
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
            return new RemovedMember(teamId, userId, true, current);
        });
    }

    /** Records an invitation whose token (hashed by auth) the inviter passes on; admins cannot invite owners. */
    CreatedInvitation invite(Scope scope, int teamId, Role role, String email, String tokenHash, long expiresAtSeconds) {
        Role inviter = require(scope, teamId, Access.Action.INVITE, "no such team");
        if (!inviter.atLeast(role)) {
            throw DomainError.forbidden("you cannot invite someone with a role above your own");
        }
        return database.write("invite", sql -> {
            int id = (int) sql.number(Query.INSERT_INVITATION, "team_id", teamId, "role", role.label(), "email", email,
                    "token_hash", tokenHash, "user_id", scope.userId(), "expires_at", expiresAtSeconds);
            return new CreatedInvitation(id, teamId, role, email, Instant.ofEpochSecond(expiresAtSeconds).toString());
        });
    }

    InvitationList listInvitations(Scope scope, int teamId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return new InvitationList(database.read(sql -> invitations(sql, teamId)));
    }

    RevokedInvitation revokeInvitation(Scope scope, int teamId, long invitationId) {
        require(scope, teamId, Access.Action.INVITE, "no such team");
        return database.write("revoke invitation", sql -> {
            if (sql.first(Query.REVOKE_OPEN_INVITATION, row -> row.getLong(1), "id", invitationId, "team_id", teamId).isEmpty()) {
                throw DomainError.notFound("no such open invitation");
            }
            return new RevokedInvitation(invitationId, true);
        });
    }

    /** What an invitation link offers, for the page that accepts it: 404 once used, revoked or expired. */
    OpenInvitation peekInvitation(String tokenHash) {
        return database.read(sql -> openInvitation(sql, tokenHash));
    }

    /** Joins the signed-in user to the invitation's team; a member keeps the higher of both roles. */
    Joined acceptInvitation(String tokenHash, long userId) {
        return database.write("accept invitation", sql -> {
            OpenInvitation invitation = openInvitation(sql, tokenHash);
            String email = sql.first(Query.EMAIL_OF_USER, row -> row.getString(1), "user_id", userId)
                    .orElseThrow(() -> DomainError.notFound("no such user"));
            requireMeantFor(invitation, email);
            return accept(sql, invitation, userId);
        });
    }

    /** Creates an account from an invitation link and joins the team, in one transaction. */
    Registered registerByInvitation(String tokenHash, String email, String passwordHash) {
        return database.write("register by invitation", sql -> {
            OpenInvitation invitation = openInvitation(sql, tokenHash);
            requireMeantFor(invitation, email);
            Joined joined = accept(sql, invitation, Accounts.insertUser(sql, email, passwordHash));
            return new Registered(joined.teamId(), joined.teamName(), joined.userId(), joined.role(), email);
        });
    }

    /** An invitation for one address is refused to any other; one with no address is anyone's. */
    private static void requireMeantFor(OpenInvitation invitation, String email) {
        String meantFor = invitation.email();
        if (!meantFor.isEmpty() && !meantFor.equalsIgnoreCase(email)) {
            throw DomainError.forbidden("this invitation is for another e-mail address");
        }
    }

    /** Security events of the team: its own (keys, roles, invitations) and its members' sign-ins and factors. */
    TeamAuditLog audit(Scope scope, int teamId, int limit) {
        require(scope, teamId, Access.Action.READ_TEAM_AUDIT, "no such team");
        return new TeamAuditLog(database.read(sql -> sql.list(Query.TEAM_AUDIT_EVENTS, row -> new TeamAuditEvent(
                Instant.ofEpochMilli(row.getLong(1)).toString(), row.getString(2), row.getString(3), row.getString(4),
                row.getLong(5), row.getString(6)), "team_id", teamId, "limit", limit)));
    }

    private static Joined accept(Sql sql, OpenInvitation invitation, long userId) throws SQLException {
        int teamId = invitation.teamId();
        Role offered = invitation.role();
        Optional<Role> current = memberRole(sql, teamId, userId);
        Role role = current.map(existing -> existing.atLeast(offered) ? existing : offered).orElse(offered);
        if (current.isEmpty()) {
            join(sql, teamId, userId, role);
        } else if (role != current.get()) {
            updateRole(sql, teamId, userId, role);
        }
        sql.update(Query.MARK_INVITATION_ACCEPTED, "user_id", userId, "id", invitation.id());
        return new Joined(teamId, invitation.teamName(), userId, role);
    }

    private static OpenInvitation openInvitation(Sql sql, String tokenHash) throws SQLException {
        return sql.first(Query.OPEN_INVITATION_BY_TOKEN, row -> new OpenInvitation(row.getInt(1), row.getInt(2), row.getString(3),
                        Role.parse(row.getString(4)).orElse(Role.MEMBER), row.getString(5), row.getString(6),
                        Instant.ofEpochSecond(row.getLong(7)).toString()),
                "token_hash", tokenHash)
                .orElseThrow(() -> DomainError.notFound("this invitation is unknown, used or expired; ask for a new one"));
    }

    private static List<Invitation> invitations(Sql sql, int teamId) throws SQLException {
        return sql.list(Query.OPEN_INVITATIONS_OF_TEAM, row -> new Invitation(row.getInt(1),
                Role.parse(row.getString(2)).orElse(Role.MEMBER), row.getString(3), row.getString(4), row.getString(5)),
                "team_id", teamId);
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
