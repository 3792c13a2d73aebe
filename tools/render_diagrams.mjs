// Imports every diagram in processes/ into bpmn-js / dmn-js inside headless Chromium,
// fails on any import error or warning, and writes docs/diagrams/<name>.png.
// Usage: node tools/render_diagrams.mjs [file ...]   (default: processes/*.bpmn, *.dmn)
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { basename, extname, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const outDir = join(root, 'docs', 'diagrams');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(join(root, 'processes'))
    .filter((f) => f.endsWith('.bpmn') || f.endsWith('.dmn'))
    .sort()
    .map((f) => join(root, 'processes', f));

const css = (...paths) => paths.map((p) => readFileSync(join(modules, p), 'utf8')).join('\n');

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; background: white; }
#canvas { width: 100vw; height: 100vh; }
</style></head><body><div id="canvas"></div></body></html>`;

async function renderBpmn(page, xml) {
  await page.addStyleTag({ content: css('bpmn-js/dist/assets/diagram-js.css', 'bpmn-js/dist/assets/bpmn-js.css') });
  await page.addScriptTag({ path: join(modules, 'bpmn-js/dist/bpmn-navigated-viewer.production.min.js') });
  return page.evaluate(async (xml) => {
    const viewer = new window.BpmnJS({ container: '#canvas' });
    window.viewer = viewer;
    try {
      const { warnings } = await viewer.importXML(xml);
      const inner = viewer.get('canvas').viewbox().inner;
      return { warnings: warnings.map((w) => w.message), width: inner.width, height: inner.height };
    } catch (err) {
      return { error: String(err), warnings: (err.warnings || []).map((w) => w.message) };
    }
  }, xml);
}

async function renderDmn(page, xml) {
  await page.addStyleTag({
    content: css('dmn-js/dist/assets/diagram-js.css', 'dmn-js/dist/assets/dmn-js-shared.css',
      'dmn-js/dist/assets/dmn-js-drd.css', 'dmn-js/dist/assets/dmn-js-decision-table.css'),
  });
  await page.addScriptTag({ path: join(modules, 'dmn-js/dist/dmn-viewer.production.min.js') });
  return page.evaluate(async (xml) => {
    const viewer = new window.DmnJS({ container: '#canvas' });
    try {
      const { warnings } = await viewer.importXML(xml);
      const table = viewer.getViews().find((v) => v.type === 'decisionTable');
      if (table) await viewer.open(table);
      const el = document.querySelector('.tjs-container') || document.querySelector('#canvas');
      return { warnings: warnings.map((w) => w.message), width: el.scrollWidth, height: el.scrollHeight };
    } catch (err) {
      return { error: String(err), warnings: (err.warnings || []).map((w) => w.message) };
    }
  }, xml);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
mkdirSync(outDir, { recursive: true });
let failed = false;
try {
  for (const file of files) {
    const kind = extname(file).slice(1);
    const name = basename(file, extname(file));
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.setContent(PAGE);
    const xml = readFileSync(file, 'utf8');
    const result = kind === 'dmn' ? await renderDmn(page, xml) : await renderBpmn(page, xml);
    if (result.error || result.warnings.length) {
      failed = true;
      console.error(`${file}: import ${result.error ? 'failed: ' + result.error : 'warnings'}`);
      for (const w of result.warnings) console.error(`  - ${w}`);
      await page.close();
      continue;
    }
    const width = Math.min(Math.ceil(result.width) + 80, 8000);
    const height = Math.min(Math.ceil(result.height) + 80, 4000);
    await page.setViewportSize({ width, height });
    if (kind === 'bpmn') {
      await page.evaluate(() => {
        const canvas = window.viewer.get('canvas');
        canvas.resized();
        canvas.zoom('fit-viewport', 'auto');
      });
    }
    const out = join(outDir, `${name}.png`);
    await page.screenshot({ path: out, fullPage: true });
    console.log(`${file}: ok -> ${out} (${width}x${height})`);
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
