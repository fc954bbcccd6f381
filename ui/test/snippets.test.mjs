// The lines to change in another tool's snippet: src/app/snippets.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { migrations, isUmamiWebsiteId, isGoatCounterCode, codeHost } = await load('snippets');

test('each tool\'s lines point at this server\'s endpoint for it and keep the rest of the line', () => {
  const [plausible, umami, goatCounter] = migrations('https://stats.example.com/', 'example.com', '');
  assert.deepEqual([plausible.tool, umami.tool, goatCounter.tool], ['Plausible', 'Umami', 'GoatCounter']);
  assert.equal(plausible.lines[0].now,
    '<script defer data-domain="example.com" data-api="https://stats.example.com/api/event" src="https://plausible.io/js/script.js"></script>');
  assert.ok(plausible.lines.every((line) => line.now.includes('https://stats.example.com/api/event') && !line.was.includes('stats.example')));
  assert.equal(umami.lines[0].now,
    '<script defer src="https://cloud.umami.is/script.js" data-website-id="YOUR-WEBSITE-ID" data-host-url="https://stats.example.com"></script>');
  assert.ok(goatCounter.lines.every((line) => line.now.includes('https://stats.example.com/count')));
  assert.match(umami.note, /Without a website id/);
});

test('a site with an Umami website id shows it in the snippet', () => {
  const umami = migrations('http://127.0.0.1:8080', 'shop.example', '6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01')[1];
  assert.match(umami.lines[0].was, /data-website-id="6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01"/);
  assert.match(umami.lines[0].now, /data-host-url="http:\/\/127.0.0.1:8080"/);
  assert.match(umami.note, /shop.example and its subdomains/);
});

test('Umami website ids are UUIDs', () => {
  assert.ok(isUmamiWebsiteId('6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01'));
  assert.ok(isUmamiWebsiteId(' 6A1E8F5C-0B2D-4C3E-9F4A-5B6C7D8E9F01 '));
  for (const bad of ['', 'example.com', '6a1e8f5c0b2d4c3e9f4a5b6c7d8e9f01', '6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f0z']) {
    assert.ok(!isUmamiWebsiteId(bad), bad);
  }
});

test('a site with a GoatCounter code sends to the code\'s host here, the way it sent to CODE.goatcounter.com', () => {
  const goatCounter = migrations('https://stats.example.com', 'blog.example', '', 'My-Blog')[2];
  assert.equal(goatCounter.lines[0].was, '<script data-goatcounter="https://My-Blog.goatcounter.com/count" async src="//gc.zgo.at/count.js"></script>');
  assert.equal(goatCounter.lines[0].now, '<script data-goatcounter="https://my-blog.stats.example.com/count" async src="//gc.zgo.at/count.js"></script>');
  assert.equal(goatCounter.lines[1].now, '<img src="https://my-blog.stats.example.com/count?p=/page">');
  assert.match(goatCounter.note, /my-blog\.stats\.example\.com count here even without a Referer/);
  assert.equal(codeHost('http://localhost:8080', 'abc'), 'http://abc.localhost:8080', 'the port stays');
  assert.equal(codeHost('http://127.0.0.1:8080', 'abc'), '', 'an IP address has no name to put the code in');
  const byAddress = migrations('http://127.0.0.1:8080', 'blog.example', '', 'my-blog')[2];
  assert.equal(byAddress.lines[0].now, '<script data-goatcounter="http://127.0.0.1:8080/count" async src="//gc.zgo.at/count.js"></script>');
  assert.match(byAddress.note, /needs this server under a host name/);
  const without = migrations('https://stats.example.com', 'blog.example', '')[2];
  assert.match(without.lines[0].was, /MYCODE\.goatcounter\.com/);
  assert.match(without.note, /or set a GoatCounter code below/);
});

test('GoatCounter codes are 2 to 50 letters, digits and dashes, a host label (no dash first or last)', () => {
  for (const good of ['my-blog', 'ab', ' Blog2 ', 'x'.repeat(50)]) {
    assert.ok(isGoatCounterCode(good), good);
  }
  for (const bad of ['', 'a', 'my blog', 'my_blog', 'my.blog', '-blog', 'blog-', 'x'.repeat(51), 'bücher']) {
    assert.ok(!isGoatCounterCode(bad), bad);
  }
});
