import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { Problem } from '../core';

/**
 * Puts each problem of a config file on the line of the field it names, so the Problems view
 * leads to it (without a line every one sat on line 1). A field that is missing points at the
 * nearest enclosing one that is there.
 */
export function locateConfigProblems(problems: readonly Problem[], text: string): Problem[] {
  const root = parseTree(text);
  if (!root) return [...problems];
  return problems.map((p) => {
    if (p.line !== undefined || !p.path) return p;
    const node = nearestNode(root, jsonPath(p.path));
    return node ? { ...p, line: lineOf(text, node.parent?.type === 'property' ? node.parent.offset : node.offset) } : p;
  });
}

/** `agents[2].baseURL` -> `['agents', 2, 'baseURL']`. */
function jsonPath(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1]! : Number(m[2])));
}

function nearestNode(root: Node, path: Array<string | number>): Node | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return node;
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
