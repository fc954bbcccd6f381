// What a team role may do in the UI: src/app/permissions.ts (the server decides; the UI hides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { can, grantable, rank, roleLabel } = await load('permissions');

// one row an action: who may, in the order member, admin, owner (PermissionMatrixTest of the server)
const MATRIX = [
  ['read', true, true, true],
  ['edit-site', false, true, true],
  ['share', false, true, true],
  ['import', false, true, true],
  ['invite', false, true, true],
  ['manage-goals', false, true, true],
  ['rename-team', false, false, true],
  ['delete-site', false, false, true],
  ['change-roles', false, false, true],
  ['remove-members', false, false, true],
  ['team-api-keys', false, false, true],
  ['team-audit', false, false, true],
];

test('the role matrix', () => {
  for (const [action, member, admin, owner] of MATRIX) {
    assert.equal(can('member', action), member, `member ${action}`);
    assert.equal(can('admin', action), admin, `admin ${action}`);
    assert.equal(can('owner', action), owner, `owner ${action}`);
  }
});

test('no role, an unknown role or a wrong case allows nothing', () => {
  for (const role of [undefined, null, '', 'guest', 'Owner']) {
    assert.equal(can(role, 'read'), false, String(role));
    assert.equal(rank(role), -1, String(role));
  }
});

test('roles one may hand out are never above one\'s own', () => {
  assert.deepEqual(grantable('member'), ['member']);
  assert.deepEqual(grantable('admin'), ['member', 'admin']);
  assert.deepEqual(grantable('owner'), ['member', 'admin', 'owner']);
  assert.deepEqual(grantable(undefined), []);
});

test('role labels', () => {
  assert.equal(roleLabel('owner'), 'Owner');
  assert.equal(roleLabel(''), '');
});
