import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeSpans, section, tables } from './markdown';
import { readme, repoFile } from './repo-files';

/** The README's command and settings tables against what package.json contributes. */

interface Contributes {
  commands: { command: string; title: string; category: string }[];
  configuration: { properties: Record<string, { default: unknown }> };
  menus: { commandPalette: { command: string; when: string }[] };
}

const contributes = (): Contributes => (JSON.parse(repoFile('package.json')) as { contributes: Contributes }).contributes;
const inVsCode = (): string => section(readme(), '## In VS Code');

/** Commands the palette hides (`when: false`) are reached from elsewhere, e.g. a CodeLens. */
function hiddenFromPalette(): Set<string> {
  return new Set(contributes().menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
}

test('the command table lists every command of the palette, by its title, and no other', () => {
  const table = tables(inVsCode()).find((t) => t.header[0]!.startsWith('command (palette: *TOA Studio: ...*)'));
  assert.ok(table, 'a table headed | command (palette: *TOA Studio: ...*) | ... |');
  const documented = table.rows.flatMap((row) => [...row[0]!.matchAll(/\*\*([^*]+)\*\*/g)].flatMap((m) => m[1]!.split(' / ')));
  const hidden = hiddenFromPalette();
  const inPalette = contributes().commands.filter((c) => !hidden.has(c.command));
  assert.deepEqual([...documented].sort(), inPalette.map((c) => c.title).sort());
  for (const c of contributes().commands) assert.equal(c.category, 'TOA Studio', `${c.command}: the palette prefix the table's header names`);
});

test('commands the palette does not list are named in the README by their titles', () => {
  const text = inVsCode();
  const hidden = contributes().commands.filter((c) => hiddenFromPalette().has(c.command));
  assert.ok(hidden.length > 0);
  for (const c of hidden) assert.ok(text.includes(`**${c.title}**`), `**${c.title}** (${c.command}) in the README's "In VS Code"`);
});

test('the settings table lists every setting with its default, and no other', () => {
  const table = tables(section(readme(), '### Settings')).find((t) => t.header[0] === 'setting' && t.header[1] === 'default');
  assert.ok(table, 'a table headed | setting | default | ... |');
  const documented = new Map(
    table.rows.map((row) => {
      const [key] = codeSpans(row[0]!);
      const spans = codeSpans(row[1]!);
      assert.equal(spans.length, 1, `${key}: one default in backticks, as JSON`);
      return [key, JSON.parse(spans[0]!) as unknown];
    }),
  );
  const contributed = new Map(Object.entries(contributes().configuration.properties).map(([key, p]) => [key, p.default]));
  assert.deepEqual(documented, contributed);
});
