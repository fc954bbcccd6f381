// Links of the public pages: src/app/links.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { shareUrl, inviteUrl, isPublicPath } = await load('links');

test('share and invitation URLs: one slash, the token escaped', () => {
  assert.equal(shareUrl('https://stats.example', 'abc_-1'), 'https://stats.example/share/abc_-1');
  assert.equal(shareUrl('https://stats.example/', 'abc'), 'https://stats.example/share/abc');
  assert.equal(inviteUrl('http://127.0.0.1:8080//', 'a/b'), 'http://127.0.0.1:8080/invite/a%2Fb');
});

test('public pages need no session; the others do', () => {
  for (const [path, wanted] of [
    ['/share/abc', true],
    ['/share/abc?range=30d', true],
    ['/invite/abc', true],
    ['/reset-password?token=x', true],
    ['/reset-password', true],
    ['/docs/api', true],
    ['/docs/api#tag-funnels', true],
    ['/', false],
    ['/settings', false],
    ['/sites/1', false],
    ['/shared', false],
    ['/sites/1/share/x', false],
  ]) assert.equal(isPublicPath(path), wanted, path);
});
