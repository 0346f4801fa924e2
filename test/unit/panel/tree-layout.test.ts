import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { runStrategy } from '../../../src/core/search/index';
import { bestResponse, pathTo } from '../../../src/shared/panel-state';
import { STRATEGIES, type SearchTree, type StrategyName, type TreeNode } from '../../../src/shared/tree';
import { GEOMETRY, layoutTree, nodeWidth, type NodeBox, type TreeLayout } from '../../../webview/tree-layout';
import { fakeEnv } from '../search/fake-env';
import { caseEnv, searchCase } from '../search/search-arbitraries';
import { propertyRuns } from '../property-runs';
import { assertGolden } from '../golden-file';

/**
 * The panel's tree layout: golden layouts of every strategy's golden tree (so any change to the
 * placement shows up as a diff to review), and the layout's rules checked on random searches.
 * `UPDATE_GOLDEN=1` rewrites the golden files.
 */
const GOLDEN_DIR = join(import.meta.dirname, 'golden-layout');

async function searched(strategy: StrategyName): Promise<SearchTree> {
  return runStrategy(strategy, fakeEnv({ params: { strategy }, jitterMs: 3 }), new AbortController().signal);
}

function layoutWithBest(tree: SearchTree, showUntried: boolean): { layout: TreeLayout; bestPath: number[] } {
  const best = bestResponse(tree);
  const bestPath = best ? pathTo(tree, best.id) : [];
  return { layout: layoutTree(tree, { showUntried, bestPath }), bestPath };
}

/** One line per box, the size, the hidden count and the edge paths: what the panel draws. */
function renderLayout(layout: TreeLayout): object {
  return {
    width: layout.width,
    height: layout.height,
    hidden: layout.hidden,
    boxes: layout.boxes.map((b) => `#${b.id} ${b.kind} x=${b.x} y=${b.y} w=${b.width}`),
    edges: layout.edges,
  };
}

for (const strategy of STRATEGIES) {
  test(`golden layout: ${strategy}`, async () => {
    const tree = await searched(strategy);
    const rendered = { untriedHidden: renderLayout(layoutWithBest(tree, false).layout), untriedShown: renderLayout(layoutWithBest(tree, true).layout) };
    assertGolden(join(GOLDEN_DIR, `${strategy}.json`), rendered);
  });
}

/** The rule, restated: an agent node that never answered is drawn only under the root, unless asked for. */
function untried(tree: SearchTree, node: TreeNode): boolean {
  return node.kind === 'agent' && node.children.length === 0 && tree.nodes[node.parent!]!.kind !== 'root';
}

function checkShownNodes(tree: SearchTree, layout: TreeLayout, showUntried: boolean): void {
  const expected = tree.nodes.filter((n) => showUntried || !untried(tree, n)).map((n) => n.id);
  assert.deepEqual([...layout.byId.keys()].sort((a, b) => a - b), expected);
  assert.equal(layout.hidden, tree.nodes.length - expected.length);
  assert.equal(layout.boxes.length, layout.byId.size);
}

/** Every layer in one column, as wide as its widest node plus the gap, left to right. */
function checkColumns(tree: SearchTree, layout: TreeLayout): void {
  const lefts = new Map<number, number>();
  let x = GEOMETRY.margin;
  const layers = Math.max(...tree.nodes.map((n) => n.layer)) + 1;
  for (let layer = 0; layer < layers; layer++) {
    lefts.set(layer, x);
    x += Math.max(...tree.nodes.filter((n) => n.layer === layer).map((n) => nodeWidth(n.kind))) + GEOMETRY.gap;
  }
  for (const box of layout.boxes) assert.equal(box.x, lefts.get(tree.nodes[box.id]!.layer), `#${box.id}'s column`);
}

/** Leaves on consecutive rows in depth-first order; a parent centred on its first and last shown child. */
function checkRows(tree: SearchTree, layout: TreeLayout): void {
  const shownChildren = (node: TreeNode): NodeBox[] => node.children.map((c) => layout.byId.get(c)).filter((b) => b !== undefined);
  let row = 0;
  for (const box of layout.boxes) {
    const children = shownChildren(tree.nodes[box.id]!);
    const y = children.length === 0 ? GEOMETRY.margin + GEOMETRY.rowHeight * (row++ + 0.5) : (children[0]!.y + children.at(-1)!.y) / 2;
    assert.equal(box.y, y, `#${box.id}'s row`);
  }
  assert.equal(layout.height, GEOMETRY.margin * 2 + GEOMETRY.rowHeight * row);
  assert.equal(layout.width, Math.max(...layout.boxes.map((b) => b.x + b.width)) + GEOMETRY.margin);
}

/** No two nodes of one column closer than a row: subtrees never overlap. */
function checkNoOverlap(layout: TreeLayout): void {
  const lastInColumn = new Map<number, NodeBox>();
  for (const box of layout.boxes) {
    const above = lastInColumn.get(box.x);
    if (above) assert.ok(box.y - above.y >= GEOMETRY.rowHeight, `#${box.id} at ${box.y} is within a row of #${above.id} at ${above.y}`);
    lastInColumn.set(box.x, box);
  }
}

/** One curve per drawn node but the root, in its mode's path; the best path drawn along its whole length. */
function checkEdges(layout: TreeLayout, bestPath: number[]): void {
  const curves = (path: string): number => (path.match(/M/g) ?? []).length;
  assert.equal(curves(layout.edges.scratch) + curves(layout.edges.refine) + curves(layout.edges.aggregate), layout.boxes.length - 1);
  assert.equal(curves(layout.edges.best), Math.max(0, bestPath.length - 1));
}

test('tree layout rules hold on random searches of every strategy, untried nodes hidden or shown', async () => {
  const cases = fc.record({ search: searchCase(60), strategy: fc.constantFrom(...STRATEGIES), showUntried: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(cases, async ({ search, strategy, showUntried }) => {
      const params = { ...search.params, strategy };
      const tree = await runStrategy(strategy, caseEnv({ ...search, params }), new AbortController().signal);
      const { layout, bestPath } = layoutWithBest(tree, showUntried);
      checkShownNodes(tree, layout, showUntried);
      checkColumns(tree, layout);
      checkRows(tree, layout);
      checkNoOverlap(layout);
      checkEdges(layout, bestPath);
    }),
    propertyRuns(20_261_128, 60),
  );
});

test('a refinement chain as deep as a long sequential search is laid out without exhausting the stack', () => {
  // Root, then agent and response nodes in turn, ending on a response.
  const depth = 40_001;
  const nodes: TreeNode[] = Array.from({ length: depth }, (_, id) => ({
    id,
    kind: id === 0 ? 'root' : id % 2 === 1 ? 'agent' : 'response',
    parent: id === 0 ? null : id - 1,
    layer: id,
    children: id + 1 < depth ? [id + 1] : [],
    visits: 1,
    values: [],
  }));
  const tree: SearchTree = { promptId: 'p', strategy: 'sequential', agents: ['a'], budget: 20_000, plays: 20_000, nodes };
  const layout = layoutTree(tree, { showUntried: false, bestPath: [] });
  assert.equal(layout.boxes.length, depth);
  // One leaf, so every node sits on its row.
  assert.ok(layout.boxes.every((b) => b.y === GEOMETRY.margin + GEOMETRY.rowHeight / 2));
});

test('an empty tree lays out to nothing', () => {
  const layout = layoutTree({ promptId: 'p', strategy: 'toa', agents: [], budget: 1, plays: 0, nodes: [] }, { showUntried: false, bestPath: [] });
  assert.deepEqual([layout.boxes.length, layout.width, layout.height, layout.hidden], [0, 0, 0, 0]);
});
