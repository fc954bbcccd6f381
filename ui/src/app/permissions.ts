// What a team role may do (auth Role: member reads; admin also manages sites, share links, invitations,
// goals, funnels, annotations and imports;
// owner also deletes sites, renames the team, changes roles, removes people, sees team API keys and
// activity: writer Teams, Sites, ShareLinks). The server decides; the UI only hides what would be
// refused. Pure, no Angular.

export type Role = 'member' | 'admin' | 'owner';
export const ROLES: readonly Role[] = ['member', 'admin', 'owner'];

export type Action =
  | 'read' | 'edit-site' | 'share' | 'import' | 'invite' | 'manage-goals' | 'delete-site' | 'change-roles' | 'remove-members'
  | 'team-api-keys' | 'team-audit' | 'rename-team';

const NEEDS: Record<Action, Role> = {
  read: 'member',
  'edit-site': 'admin',
  share: 'admin',
  import: 'admin',
  invite: 'admin',
  'manage-goals': 'admin',
  'delete-site': 'owner',
  'change-roles': 'owner',
  'remove-members': 'owner',
  'team-api-keys': 'owner',
  'team-audit': 'owner',
  'rename-team': 'owner',
};

/** A role's rank (member 0, admin 1, owner 2); -1 for anything else. */
export function rank(role: string | null | undefined): number {
  return ROLES.indexOf(role as Role);
}

/** Whether the role allows the action; an unknown or missing role allows nothing. */
export function can(role: string | null | undefined, action: Action): boolean {
  const have = rank(role);
  return have >= 0 && have >= rank(NEEDS[action]);
}

/** The roles someone with this role may hand out (an API key's, an invitation's): never above their own. */
export function grantable(role: string | null | undefined): Role[] {
  return ROLES.filter((r) => rank(r) <= rank(role));
}

/** "Owner" for "owner". */
export function roleLabel(role: string): string {
  return role ? role[0].toUpperCase() + role.slice(1) : role;
}
