// The harness that stands in for GitHub: what its readings of HTML give, and that the browser
// measures and pictures a page without reaching the network.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeBrowser,
  hrefOf,
  injectedHtml,
  links,
  liveReferences,
  measureOverflow,
  normaliseText,
  parseGfm,
  renderGfm,
  screenshot,
  tableCells,
  visibleText,
} from './github-render.js';

afterAll(closeBrowser);

describe('reading rendered HTML', () => {
  it('finds text, links, cells and the references GitHub would link', async () => {
    const html = await renderGfm(
      'Hi @octocat, see #12 and https://a.example/x?y=1&z=2 (`@code`)\n\n| a | b |\n| --- | --- |\n| 1 | [t](https://b.example) |',
    );
    expect(normaliseText(visibleText(html))).toBe(
      'Hi @octocat, see #12 and https://a.example/x?y=1&z=2 (@code) a b 1 t',
    );
    expect(links(html)).toEqual([
      { href: 'https://a.example/x?y=1&z=2', text: 'https://a.example/x?y=1&z=2' },
      { href: 'https://b.example', text: 't' },
    ]);
    expect(tableCells(html)).toEqual([
      ['a', 'b'],
      ['1', '<a href="https://b.example">t</a>'],
    ]);
    // Not inside code or links.
    expect(liveReferences(html)).toEqual(['@octocat', '#12']);
  });

  it('tells raw HTML from Markdown syntax', async () => {
    const tree = await parseGfm('*em* <em>raw</em> <br> <!-- c --> <details open>\n\n<img src=x onerror=y>');
    expect(injectedHtml(tree)).toEqual(['<em>', '</em>', '<!-- c -->', '<img src=x onerror=y>']);
  });

  it('writes hrefs as cmark-gfm does', () => {
    expect(hrefOf('https://a.example/ä|`x`?a=1&b=(2)')).toBe('https://a.example/%C3%A4%7C%60x%60?a=1&b=(2)');
  });
});

describe('the browser', () => {
  it('measures a table that needs scrolling and one that does not', async () => {
    const wide = `| a | b |\n| --- | --- |\n| ${'x'.repeat(400)} | y |`;
    const narrow = '| a | b |\n| --- | --- |\n| x | y |';
    const result = await measureOverflow(await renderGfm(`${wide}\n\n${narrow}`), { width: 600 });
    expect(result.containerWidth).toBe(600 - 32);
    expect(result.tables).toHaveLength(2);
    expect(result.tables[0]?.overflow).toBeGreaterThan(0);
    expect(result.tables[1]?.overflow).toBe(0);
    // GitHub's stylesheet lets a wide table scroll inside itself, not the page.
    expect(result.documentOverflow).toBe(0);
  });

  it('pictures the page without fetching what it links', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'github-render-')), 'page.png');
    const shot = await screenshot(
      await renderGfm('# Title\n\n<img src="https://evil.example/pixel.png"> text'),
      {
        width: 400,
        file,
      },
    );
    expect(shot.blockedRequests).toEqual(['https://evil.example/pixel.png']);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The width of the picture is the width asked for (the IHDR chunk holds it).
    expect(png.readUInt32BE(16)).toBe(400);
  });
});
