// A site's excluded addresses and paths, one a line in the form and comma-separated in the API: src/app/lists.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { linesToList, listToLines } = await load('lists');

test('lines to the API string: trimmed, blank and repeated entries dropped, commas accepted', () => {
  assert.equal(linesToList(''), '');
  assert.equal(linesToList('  \n\n'), '');
  assert.equal(linesToList('10.0.0.0/8\n 203.0.113.7 \n\n10.0.0.0/8'), '10.0.0.0/8,203.0.113.7');
  assert.equal(linesToList('/admin/*, /preview\r\n/drafts'), '/admin/*,/preview,/drafts');
});

test('the API string to lines, and back', () => {
  assert.equal(listToLines(''), '');
  assert.equal(listToLines(null), '');
  assert.equal(listToLines('/admin/*,/preview'), '/admin/*\n/preview');
  assert.equal(linesToList(listToLines('a,b,c')), 'a,b,c');
});
