// Links of the app's public pages, pure: a share link, an invitation, a password reset, the API reference. The server's
// own `link` field wins when it has one (it knows its public base URL behind a proxy).

/** `<origin>/share/<token>` */
export function shareUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/share/${encodeURIComponent(token)}`;
}

/** `<origin>/invite/<token>` */
export function inviteUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/invite/${encodeURIComponent(token)}`;
}

/** Path segments of the public pages that need no session. */
const PUBLIC = ['/share/', '/invite/', '/reset-password', '/docs/api'];

/** Whether a path is one of the public pages (shown without signing in). */
export function isPublicPath(path: string): boolean {
  const clean = path.replace(/[?#].*$/, '');
  return PUBLIC.some((p) => clean.startsWith(p) || clean === p.replace(/\/$/, ''));
}
