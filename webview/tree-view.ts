import { pathTo } from '../src/shared/panel-state';
import type { SearchTree, TreeNode } from '../src/shared/tree';
import { fmtReward } from './format';
import { agentClass } from './palette';
import { GEOMETRY, layoutTree, nodeHeight, nodeWidth, type NodeBox, type TreeLayout } from './tree-layout';
import { count } from '../src/shared/plural';

/**
 * <toa-tree>: the live search tree as SVG. Rendering is keyed and incremental: one <g> per
 * node, kept across renders and touched only where its position, label or class changed; all
 * edges of a kind share one <path>. Nothing is re-laid out unless the tree grew, a play landed,
 * or a view option changed. Model text never enters this view (labels are numbers; tooltips
 * carry agent names through text nodes).
 *
 * Fires `node-select` (detail: { nodeId }) on click or keyboard navigation.
 */

export interface TreeViewData {
  tree: SearchTree | undefined;
  selected: number | null;
  best: number | null;
  showUntried: boolean;
  zoom: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with these attributes. */
function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

interface NodeEls {
  kind: TreeNode['kind'];
  g: SVGGElement;
  label?: SVGTextElement;
  visits?: SVGTextElement;
  title: SVGTitleElement;
  /** What was last written, each apart: a growing tree mostly moves nodes, and a write costs style or layout only where it changes something. */
  written: { classes?: string; transform?: string; selected?: boolean; layer?: number; posinset?: number; setsize?: number; label?: string; visits?: number; title?: string };
}

export class TreeView extends HTMLElement {
  private data: TreeViewData = { tree: undefined, selected: null, best: null, showUntried: false, zoom: 1 };
  private readonly scroller: HTMLDivElement;
  private readonly keysHelp: HTMLSpanElement;
  private readonly svg: SVGSVGElement;
  private readonly edgeEls: Record<'scratch' | 'refine' | 'aggregate' | 'best', SVGPathElement>;
  private readonly nodeLayer: SVGGElement;
  private readonly els = new Map<number, NodeEls>();
  private layout: TreeLayout | undefined;
  private renderedKey = '';
  private treeIds = new WeakMap<SearchTree, number>();
  private nextTreeId = 1;
  private drag: { x: number; y: number; left: number; top: number; moved: boolean } | undefined;

  /** Time the last render took, in ms (read by the render benchmark). */
  lastRenderMs = 0;

  constructor() {
    super();
    this.scroller = document.createElement('div');
    this.scroller.className = 'tree-scroller';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'tree');
    this.scroller.setAttribute('aria-label', 'Search tree');
    this.scroller.setAttribute('aria-describedby', KEYS_HELP_ID);
    this.keysHelp = document.createElement('span');
    this.keysHelp.id = KEYS_HELP_ID;
    this.keysHelp.className = 'visually-hidden';
    this.keysHelp.textContent = KEYS_HELP;
    // Not an image: a screen reader would read it as one and hide the tree items inside it.
    this.svg = svgElement('svg', { class: 'tree-svg', role: 'none' });
    const edges = svgElement('g', { class: 'edges', 'aria-hidden': 'true' });
    const edge = (cls: string): SVGPathElement => edges.appendChild(svgElement('path', { class: `edge ${cls}` }));
    this.edgeEls = { scratch: edge('scratch'), refine: edge('refine'), aggregate: edge('aggregate'), best: edge('best') };
    this.nodeLayer = svgElement('g', { class: 'nodes', role: 'none' });
    this.svg.append(edges, this.nodeLayer);
    this.scroller.append(this.svg);
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.scroller.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.scroller.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.scroller.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
  }

  connectedCallback(): void {
    if (!this.scroller.isConnected) this.append(this.scroller, this.keysHelp);
  }

  set view(data: TreeViewData) {
    this.data = data;
    this.render();
  }

  get view(): TreeViewData {
    return this.data;
  }

  /** Zoom that fits the whole tree's width in view (never above 100%). */
  fitZoom(): number {
    if (!this.layout || this.layout.width === 0) return 1;
    return Math.min(1, (this.scroller.clientWidth - 4) / this.layout.width);
  }

  /** Scrolls so the node is visible. */
  reveal(nodeId: number): void {
    const box = this.layout?.byId.get(nodeId);
    if (!box) return;
    const z = this.data.zoom;
    const x = box.x * z;
    const y = box.y * z;
    const s = this.scroller;
    if (x < s.scrollLeft || x + box.width * z > s.scrollLeft + s.clientWidth) s.scrollLeft = x - s.clientWidth / 3;
    if (y < s.scrollTop + 20 || y > s.scrollTop + s.clientHeight - 20) s.scrollTop = y - s.clientHeight / 2;
  }

  private keyOf(): string {
    const { tree, selected, best, showUntried, zoom } = this.data;
    if (!tree) return 'none';
    return `${this.treeId(tree)}:${tree.nodes.length}:${tree.plays}:${selected}:${best}:${showUntried}:${zoom}`;
  }

  /** A number per tree object: node ids repeat across prompts, and elements are reused between them. */
  private treeId(tree: SearchTree): number {
    let id = this.treeIds.get(tree);
    if (id === undefined) {
      id = this.nextTreeId++;
      this.treeIds.set(tree, id);
    }
    return id;
  }

  private render(): void {
    const key = this.keyOf();
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    const started = performance.now();
    const { tree, best, showUntried, zoom } = this.data;
    if (!tree) {
      this.clear();
      return;
    }
    const bestPath = best === null ? [] : pathTo(tree, best);
    const layout = layoutTree(tree, { showUntried, bestPath });
    this.layout = layout;
    setChanged(this.svg, 'width', String(Math.ceil(layout.width * zoom)));
    setChanged(this.svg, 'height', String(Math.ceil(layout.height * zoom)));
    setChanged(this.svg, 'viewBox', `0 0 ${layout.width} ${layout.height}`);
    for (const kind of ['scratch', 'refine', 'aggregate', 'best'] as const) setChanged(this.edgeEls[kind], 'd', layout.edges[kind]);
    const onPath = new Set(bestPath);
    const sources = new Set(tree.nodes[this.data.selected ?? -1]?.sources ?? []);
    const places = siblingPlaces(tree, layout);
    const seen = new Set<number>();
    for (const box of layout.boxes) {
      seen.add(box.id);
      this.drawNode(tree, tree.nodes[box.id]!, box, onPath, sources, places.get(box.id) ?? ONLY_CHILD);
    }
    for (const [id, els] of this.els) {
      if (seen.has(id)) continue;
      els.g.remove();
      this.els.delete(id);
    }
    // Focus stays on the tree; screen readers follow the selected node through this.
    const selected = this.data.selected;
    if (selected !== null && this.els.has(selected)) setChanged(this.scroller, 'aria-activedescendant', nodeElementId(selected));
    else this.scroller.removeAttribute('aria-activedescendant');
    this.lastRenderMs = performance.now() - started;
  }

  private clear(): void {
    for (const els of this.els.values()) els.g.remove();
    this.els.clear();
    this.layout = undefined;
    for (const path of Object.values(this.edgeEls)) path.setAttribute('d', '');
    this.svg.setAttribute('width', '0');
    this.svg.setAttribute('height', '0');
  }

  private drawNode(tree: SearchTree, node: TreeNode, box: NodeBox, onPath: Set<number>, sources: Set<number>, place: SiblingPlace): void {
    const els = this.elementsFor(node);
    const w = els.written;
    const className = this.classesOf(node, onPath, sources);
    if (className !== w.classes) els.g.setAttribute('class', (w.classes = className));
    const transform = `translate(${box.x},${box.y - nodeHeight(node.kind) / 2})`;
    if (transform !== w.transform) els.g.setAttribute('transform', (w.transform = transform));
    this.writeTreeItem(els, node, place);
    this.writeTexts(els, tree, node);
  }

  /** The node's elements: those drawn before, or new ones for a node new to the view or of another kind. */
  private elementsFor(node: TreeNode): NodeEls {
    let els = this.els.get(node.id);
    // Ids repeat across prompts and runs: an element made for another kind of node is replaced.
    if (els && els.kind !== node.kind) {
      els.g.remove();
      els = undefined;
    }
    if (!els) {
      els = this.createNode(node);
      this.els.set(node.id, els);
    }
    return els;
  }

  /** The node's classes: its kind and agent, and where it stands (best, on the best path, selected, a source of the selected). */
  private classesOf(node: TreeNode, onPath: Set<number>, sources: Set<number>): string {
    const classes = ['node', node.kind, agentClass(node.agent)];
    if (node.kind === 'agent') classes.push(`mode-${node.mode ?? 'scratch'}`, node.children.length === 0 ? 'untried' : 'tried');
    if (node.id === this.data.best) classes.push('best');
    if (onPath.has(node.id)) classes.push('on-path');
    if (node.id === this.data.selected) classes.push('selected');
    if (sources.has(node.id)) classes.push('source');
    return classes.join(' ');
  }

  /** The tree item's state for the accessibility tree: selected, and its level and place. */
  private writeTreeItem(els: NodeEls, node: TreeNode, place: SiblingPlace): void {
    const w = els.written;
    const selected = node.id === this.data.selected;
    if (selected !== w.selected) els.g.setAttribute('aria-selected', String((w.selected = selected)));
    // A flat list of tree items to the accessibility tree: level and place give it its shape back.
    if (node.layer !== w.layer) els.g.setAttribute('aria-level', String((w.layer = node.layer) + 1));
    if (place.index !== w.posinset) els.g.setAttribute('aria-posinset', String((w.posinset = place.index)));
    if (place.of !== w.setsize) els.g.setAttribute('aria-setsize', String((w.setsize = place.of)));
  }

  /** The node's label, visit count and tooltip. */
  private writeTexts(els: NodeEls, tree: SearchTree, node: TreeNode): void {
    const w = els.written;
    const label = node.kind === 'root' ? 'prompt' : fmtReward(node.reward);
    if (els.label && label !== w.label) els.label.textContent = w.label = label;
    if (els.visits && node.visits !== w.visits) els.visits.textContent = `×${(w.visits = node.visits)}`;
    // Built only when it can have changed (it sums the node's values): within a tree, only a play changes it.
    const best = node.id === this.data.best;
    const title = `${this.treeId(tree)}:${node.visits}:${node.values.length}:${best}`;
    if (title !== w.title) {
      w.title = title;
      els.title.textContent = tooltip(tree, node) + (best ? ' · best answer' : '');
    }
  }

  private createNode(node: TreeNode): NodeEls {
    const g = svgElement('g', { role: 'treeitem' });
    g.dataset.id = String(node.id);
    g.id = nodeElementId(node.id);
    const els: NodeEls = { kind: node.kind, g, title: svgElement('title'), written: {} };
    if (node.kind === 'agent') {
      const r = GEOMETRY.agentRadius;
      g.append(svgElement('circle', { cx: r, cy: 0, r }));
    } else {
      const w = nodeWidth(node.kind);
      const h = nodeHeight(node.kind);
      els.label = svgElement('text', { class: 'label', x: node.kind === 'root' ? w / 2 : 8, y: h / 2 });
      g.append(svgElement('rect', { width: w, height: h, rx: 3 }), els.label);
      if (node.kind === 'response') {
        els.visits = svgElement('text', { class: 'visits', x: w - 6, y: h / 2 });
        g.append(svgElement('rect', { class: 'stripe', width: 3, height: h }), els.visits);
      }
    }
    g.append(els.title);
    this.nodeLayer.append(g);
    return els;
  }

  private select(nodeId: number): void {
    this.dispatchEvent(new CustomEvent('node-select', { detail: { nodeId }, bubbles: true }));
  }

  private onClick(e: MouseEvent): void {
    const target = (e.target as Element).closest?.('[data-id]');
    if (!target || this.drag?.moved) return;
    this.select(Number((target as SVGGElement).dataset.id));
  }

  /**
   * Arrows: left = parent, right = first child, up/down = neighbour in the same column; Home =
   * the root, End = the last node drawn (as in a tree view). With no node selected yet (or one no
   * longer drawn), an arrow starts at the root.
   */
  private onKey(e: KeyboardEvent): void {
    const layout = this.layout;
    const tree = this.data.tree;
    if (!layout || !tree || !KEYS.has(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const to = (e.key === 'Home' ? layout.boxes[0] : layout.boxes.at(-1))?.id ?? 0;
      this.select(to);
      this.reveal(to);
      return;
    }
    const current = this.data.selected;
    if (current === null || !layout.byId.has(current)) {
      e.preventDefault();
      this.select(0);
      this.reveal(0);
      return;
    }
    const box = layout.byId.get(current);
    if (!box) return;
    let next: number | undefined;
    if (e.key === 'ArrowLeft') next = tree.nodes[current]?.parent ?? undefined;
    else if (e.key === 'ArrowRight') next = tree.nodes[current]?.children.find((id) => layout.byId.has(id));
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') next = columnNeighbour(layout, box, e.key === 'ArrowUp' ? -1 : 1);
    if (next === undefined || !layout.byId.has(next)) return;
    e.preventDefault();
    this.select(next);
    this.reveal(next);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || (e.target as Element).closest?.('[data-id]')) return;
    this.drag = { x: e.clientX, y: e.clientY, left: this.scroller.scrollLeft, top: this.scroller.scrollTop, moved: false };
    this.scroller.setPointerCapture(e.pointerId);
    this.scroller.classList.add('panning');
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
    this.scroller.scrollLeft = d.left - dx;
    this.scroller.scrollTop = d.top - dy;
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag) return;
    this.scroller.releasePointerCapture(e.pointerId);
    this.scroller.classList.remove('panning');
    // Let the click that ends a drag see `moved`, then forget the drag.
    setTimeout(() => (this.drag = undefined), 0);
  }

  /** Ctrl/Cmd + wheel zooms (like the editor); plain wheel scrolls. */
  private onWheel(e: WheelEvent): void {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('zoom-step', { detail: { direction: e.deltaY < 0 ? 1 : -1 }, bubbles: true }));
  }
}

/**
 * Writes the attribute only if it changes: a write costs a style check (and for SVG geometry a
 * re-layout) even when it writes the same value, and a growing tree's frame mostly keeps them.
 */
function setChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

const KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

const KEYS_HELP_ID = 'tree-keys-help';
const KEYS_HELP = 'Left arrow: the parent node. Right arrow: the first child. Up and down arrows: the next node in the same column. Home: the prompt. End: the last node.';

interface SiblingPlace {
  index: number;
  of: number;
}

const ONLY_CHILD: SiblingPlace = { index: 1, of: 1 };

/** Each drawn node's place among its parent's drawn children (1-based), for aria-posinset and aria-setsize. */
function siblingPlaces(tree: SearchTree, layout: TreeLayout): Map<number, SiblingPlace> {
  const places = new Map<number, SiblingPlace>();
  for (const box of layout.boxes) {
    const drawn = (tree.nodes[box.id]?.children ?? []).filter((id) => layout.byId.has(id));
    drawn.forEach((id, i) => places.set(id, { index: i + 1, of: drawn.length }));
  }
  return places;
}

/** Node ids repeat across prompts, but one tree is drawn at a time: unique within the panel. */
function nodeElementId(id: number): string {
  return `tree-node-${id}`;
}

function columnNeighbour(layout: TreeLayout, box: NodeBox, direction: -1 | 1): number | undefined {
  let best: NodeBox | undefined;
  for (const b of layout.boxes) {
    if (b.x !== box.x || b.kind !== box.kind || Math.sign(b.y - box.y) !== direction) continue;
    if (!best || Math.abs(b.y - box.y) < Math.abs(best.y - box.y)) best = b;
  }
  return best?.id;
}

function visitsText(visits: number): string {
  return count(visits, 'visit');
}

function tooltip(tree: SearchTree, node: TreeNode): string {
  const agent = node.agent === undefined ? '' : (tree.agents[node.agent] ?? `agent ${node.agent}`);
  const mean = node.values.length ? ` · mean value ${fmtReward(node.values.reduce((a, b) => a + b, 0) / node.values.length)}` : '';
  if (node.kind === 'root') return `Prompt · ${visitsText(node.visits)}${mean}`;
  if (node.kind === 'agent') {
    const mode = node.mode === 'refine' ? 'refine' : node.mode === 'aggregate' ? 'aggregate' : 'from scratch';
    return `${agent} · ${mode} · ${visitsText(node.visits)}${mean}`;
  }
  return `#${node.id} · ${agent} · reward ${fmtReward(node.reward)} · value ${fmtReward(node.own)} · play ${node.play ?? '–'} · ${visitsText(node.visits)}${mean}`;
}

customElements.define('toa-tree', TreeView);

declare global {
  interface HTMLElementTagNameMap {
    'toa-tree': TreeView;
  }
}
