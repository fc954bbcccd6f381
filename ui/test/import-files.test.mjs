// The import screen's plain logic: src/app/import-files.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { guessSource, fileProblem, percentSent, formatBytes, sourceLabel, importDays, DEFAULT_MAX_BYTES } = await load('import-files');

test('the source is guessed from the names each tool gives its export', () => {
  assert.equal(guessSource('plausible_io_20241231.zip'), 'plausible');
  assert.equal(guessSource('goatcounter-export-mysite-20241231T101010Z-0.csv.gz'), 'goatcounter');
  assert.equal(guessSource('hits.CSV'), 'goatcounter');
  assert.equal(guessSource('notes.txt'), null);
});

test('files the server would refuse are caught before the upload', () => {
  assert.equal(fileProblem('plausible', { name: 'export.zip', size: 1000 }), null);
  assert.equal(fileProblem('goatcounter', { name: 'export.csv.gz', size: 1000 }), null);
  assert.match(fileProblem('plausible', { name: 'export.csv', size: 1000 }), /\.zip/);
  assert.equal(fileProblem('goatcounter', { name: 'a.csv', size: 0 }), 'The file is empty.');
  assert.equal(fileProblem('plausible', { name: 'big.zip', size: 60 * 1024 * 1024 }),
    'The file is 60.0 MB; the server takes at most 50.0 MB.');
  assert.equal(fileProblem('plausible', { name: 'big.zip', size: DEFAULT_MAX_BYTES }), null, 'the limit itself is allowed');
});

test('progress in whole percent, never past the ends', () => {
  assert.equal(percentSent(0, 100), 0);
  assert.equal(percentSent(50, 200), 25);
  assert.equal(percentSent(999, 1000), 99);
  assert.equal(percentSent(120, 100), 100);
  assert.equal(percentSent(5, 0), 0);
});

test('sizes, sources and days as the list shows them', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(50 * 1024 * 1024), '50.0 MB');
  assert.equal(sourceLabel('goatcounter'), 'GoatCounter');
  assert.equal(sourceLabel('plausible'), 'Plausible');
  assert.equal(importDays('2024-03-01', '2024-03-03'), '2024-03-01 – 2024-03-03');
  assert.equal(importDays('2024-03-01', '2024-03-01'), '2024-03-01');
  assert.equal(importDays(null, null), 'in progress');
});
