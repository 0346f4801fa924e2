import { findNodeAtLocation, parseTree, type Node, type Segment } from 'jsonc-parser';

/** Finds the line of a config field, given as a problem path (`agents[2].baseURL`). */
export type FieldLocator = (path: string) => number | undefined;

/**
 * A locator for JSONC text: a problem is reported on the line of the field it names (or of the
 * nearest enclosing field the file has: a missing `model` points at its agent, a missing
 * `agents` at the `{` of the whole config), so the terminal shows `toa.config.json:14:` and the
 * Problems view marks that line instead of the first.
 */
export function fieldLocator(text: string): FieldLocator {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  return (path) => {
    if (!tree) return undefined;
    const segments = pathSegments(path);
    for (let n = segments.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, segments.slice(0, n));
      if (node) return lineAt(text, keyOrValue(node).offset);
    }
    return undefined;
  };
}

/** `agents[2].baseURL` -> `['agents', 2, 'baseURL']` (the inverse of formatPath). */
function pathSegments(path: string): Segment[] {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] === undefined ? m[2]! : Number(m[1])));
}

/** A property's value is reported at its key: that is the line that names the field. */
function keyOrValue(node: Node): Node {
  return node.parent?.type === 'property' ? node.parent : node;
}

/** The 1-based line of `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
