// SPDX-License-Identifier: Apache-2.0
// Parse Mermaid texts with mermaid's own parser (in node, with jsdom for the DOM it expects).
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  try {
    const r = await mermaid.parse(text);
    console.log(`ok ${f}: ${r.diagramType}`);
  } catch (e) {
    failed++;
    console.log(`FAILED ${f}: ${String(e.message || e).split('\n').slice(0, 6).join(' | ')}`);
  }
}
process.exit(failed ? 1 : 0);
